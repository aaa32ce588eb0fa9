// Inbox tools: forward captured requests to a local server, export them as JSON or as a HAR 1.2 archive.
import { z } from 'zod';
import { HttpUrl, Id, IsoDate, wholeNumber } from './common';
import { ForwardResult, Inbox, InboxRequest } from './inbox';

export const InboxForwardInput = z.strictObject({
  id: Id,
  /** e.g. http://localhost:3000/webhooks; each request goes there with its original method, headers and body */
  url: HttpUrl,
  /** the captured requests to forward, oldest first is the order they are sent in */
  requestIds: z.array(Id).min(1).max(200),
});
export const InboxForwardOutput = z.object({
  results: z.array(z.object({ requestId: Id, forward: ForwardResult })),
});

export const InboxExportInput = z.strictObject({
  id: Id,
  format: z.enum(['json', 'har']).default('json'),
  /** newest requests first; at most this many */
  limit: wholeNumber(1, 10_000).prefault(1000),
});

const HarNameValue = z.object({ name: z.string(), value: z.string() });

/** The parts of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) an inbox fills in. */
export const HarLog = z.object({
  log: z.object({
    version: z.literal('1.2'),
    creator: z.object({ name: z.string(), version: z.string() }),
    entries: z.array(
      z.object({
        startedDateTime: IsoDate,
        time: z.number(),
        request: z.object({
          method: z.string(),
          url: z.string(),
          httpVersion: z.string(),
          cookies: z.array(HarNameValue),
          headers: z.array(HarNameValue),
          queryString: z.array(HarNameValue),
          postData: z.object({ mimeType: z.string(), text: z.string() }).optional(),
          headersSize: z.number().int(),
          bodySize: z.number().int(),
        }),
        response: z.object({
          status: z.number().int(),
          statusText: z.string(),
          httpVersion: z.string(),
          cookies: z.array(HarNameValue),
          headers: z.array(HarNameValue),
          content: z.object({ size: z.number().int(), mimeType: z.string(), text: z.string().optional() }),
          redirectURL: z.string(),
          headersSize: z.number().int(),
          bodySize: z.number().int(),
        }),
        cache: z.object({}),
        timings: z.object({ send: z.number(), wait: z.number(), receive: z.number() }),
        comment: z.string().optional(),
      }),
    ),
  }),
});
export type HarLog = z.infer<typeof HarLog>;

export const InboxExportJson = z.object({
  inbox: Inbox,
  exportedAt: IsoDate,
  /** newest first */
  requests: z.array(InboxRequest),
});

export const InboxExportOutput = z.union([InboxExportJson, HarLog]);
