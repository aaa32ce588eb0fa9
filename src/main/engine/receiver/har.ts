// Captured requests as a HAR 1.2 archive (the format browsers' devtools, Charles and Insomnia import). Each entry
// is one request the inbox received and what it answered: status, headers and body as its script wrote them, and
// the script's delay as the wait (requests captured before answers were kept have the status only). Hung requests
// (never answered) get status 0, as browsers write aborted ones.
import type { HarLog, InboxRequest } from '../../../shared';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const pairs = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }));

/** `inboxUrl` is the inbox's receiving URL; a request's path is resolved against its origin. */
export function toHar(requests: InboxRequest[], inboxUrl: string, creatorVersion: string): HarLog {
  const origin = (() => {
    try {
      return new URL(inboxUrl).origin;
    } catch {
      return 'http://127.0.0.1';
    }
  })();
  return {
    log: {
      version: '1.2',
      creator: { name: 'Hookbench', version: creatorVersion },
      entries: requests.map((r) => {
        const url = new URL(r.path, origin);
        const mimeType = r.headers['content-type'] ?? 'application/octet-stream';
        const status = r.responseStatus ?? 0;
        const answer = r.response;
        const answerType = answer
          ? (Object.entries(answer.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '')
          : '';
        return {
          startedDateTime: r.receivedAt,
          time: answer?.delayMs ?? 0,
          request: {
            method: r.method,
            url: url.toString(),
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(r.headers),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            ...(r.body !== '' ? { postData: { mimeType, text: r.body } } : {}),
            headersSize: -1,
            bodySize: r.size,
          },
          response: {
            status,
            statusText: STATUS_TEXT[status] ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: answer ? pairs(answer.headers) : [],
            content: answer
              ? { size: Buffer.byteLength(answer.body), mimeType: answerType, text: answer.body }
              : { size: 0, mimeType: '' },
            redirectURL: '',
            headersSize: -1,
            bodySize: answer ? Buffer.byteLength(answer.body) : -1,
          },
          cache: {},
          timings: { send: 0, wait: answer?.delayMs ?? 0, receive: 0 },
          ...(r.verification
            ? {
                comment: r.verification.verified
                  ? `signature verified (${r.verification.scheme})`
                  : `signature not verified (${r.verification.scheme}): ${r.verification.reason ?? ''}`,
              }
            : {}),
        };
      }),
    },
  };
}
