// "Replay missing events" (as Svix's): the events of a time range this endpoint subscribes to and never got (fired
// before it existed, while it was disabled by hand, or only to other endpoints), counted by a dry run before anything
// is sent, then each given a delivery, oldest first (endpoints.replayMissing).
import { type Endpoint, REPLAY_LIMIT } from '@shared';
import { useMemo, useState } from 'react';
import { hrefTo } from '../../app/router';
import { ErrorText, Field, invalidProps, Modal, toast, toLocalInput } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { deliveriesPath } from '../deliveries/filters';

const HOUR = 3_600_000;
const RANGES = [
  { id: '1h', label: 'The last hour', ms: HOUR },
  { id: '24h', label: 'The last 24 hours', ms: 24 * HOUR },
  { id: '7d', label: 'The last 7 days', ms: 7 * 24 * HOUR },
  { id: '30d', label: 'The last 30 days', ms: 30 * 24 * HOUR },
  { id: 'custom', label: 'Since a date and time', ms: null },
] as const;
type RangeId = (typeof RANGES)[number]['id'];

/** The range's start as ISO, or an error to show; a relative range counts back from when it was chosen. */
function replaySince(range: RangeId, custom: string, chosenAt: number): { since: string } | { error: string } {
  const r = RANGES.find((x) => x.id === range);
  if (r?.ms) return { since: new Date(chosenAt - r.ms).toISOString() };
  const at = custom ? new Date(custom).getTime() : Number.NaN;
  if (Number.isNaN(at)) return { error: 'Enter a date and time' };
  if (at >= chosenAt) return { error: 'Choose a time in the past' };
  return { since: new Date(at).toISOString() };
}

const plural = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'event' : 'events'}`;

export function ReplayMissingButton({ endpoint }: { endpoint: Endpoint }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        title="Send this endpoint the events it subscribes to and never got"
        onClick={() => setOpen(true)}
      >
        Replay missing…
      </button>
      {open ? <ReplayMissingDialog endpoint={endpoint} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ReplayMissingDialog({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const [range, setRange] = useState<RangeId>('24h');
  const [custom, setCustom] = useState(() => toLocalInput(Date.now() - 24 * HOUR));
  // counted back from when the range was picked, so the dry run's query key holds still between renders
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new choice is a new "now"
  const chosenAt = useMemo(() => Date.now(), [range, custom]);
  const start = replaySince(range, custom, chosenAt);
  const since = 'since' in start ? start.since : null;
  const count = useRoute(
    'endpoints.replayMissing',
    { id: endpoint.id, since: since ?? '', dryRun: true },
    { enabled: since !== null, staleTime: 0 },
  );
  const replay = useRouteMutation('endpoints.replayMissing', {
    invalidates: [
      'deliveries.list',
      'deliveries.count',
      'endpoints.get',
      'endpoints.list',
      'events.list',
      'events.get',
    ],
    onSuccess: (out) => {
      onClose();
      const what = out.truncated
        ? `Replayed the oldest ${plural(out.events)}; replay again for the rest`
        : `Replayed ${plural(out.events)}`;
      toast(kept ? `${what}: kept paused until the endpoint is enabled` : what, 'success', {
        href: hrefTo(deliveriesPath({ endpointId: endpoint.id })),
        label: 'View deliveries',
      });
    },
  });
  const n = count.data?.events ?? null;
  // an auto-disabled endpoint keeps what is replayed to it, paused, and gets it once enabled (README: auto-disable)
  const kept = !endpoint.enabled && endpoint.disabledBy === 'auto';
  const customId = 'replay-since';
  const customError = range === 'custom' && 'error' in start ? start.error : null;

  return (
    <Modal
      title="Replay missing events"
      onClose={onClose}
      className="modal-narrow"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={replay.isPending}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!since || !n || replay.isPending}
            onClick={() => since && replay.mutate({ id: endpoint.id, since })}
          >
            {replay.isPending ? 'Replaying…' : n ? `Replay ${plural(n)}` : 'Replay'}
          </button>
        </>
      }
    >
      <div className="stack">
        <p className="muted" style={{ margin: 0 }}>
          The events this endpoint subscribes to and never got a delivery of: fired before it existed, while it was
          disabled, or only to other endpoints. Each is sent as it was first sent (same id and data), oldest first.
        </p>
        {kept ? (
          <p className="banner banner-warn" role="status" style={{ margin: 0 }}>
            This endpoint was disabled after failing: what is replayed is kept paused and sent when you enable it.
          </p>
        ) : null}
        <Field label="Events fired in" htmlFor="replay-range">
          <select
            id="replay-range"
            className="select"
            value={range}
            onChange={(e) => setRange(e.target.value as RangeId)}
          >
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        {range === 'custom' ? (
          <Field label="Since (your local time)" htmlFor={customId} error={customError}>
            <input
              id={customId}
              type="datetime-local"
              className="input"
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              {...invalidProps(customId, customError)}
            />
          </Field>
        ) : null}
        <output className="replay-count" aria-live="polite">
          {!since ? null : count.isPending ? (
            <span className="muted">Counting…</span>
          ) : count.error ? null : n === 0 ? (
            'Nothing is missing in this range.'
          ) : count.data?.truncated ? (
            <>
              More than <strong>{REPLAY_LIMIT.toLocaleString()}</strong> events are missing: the oldest{' '}
              {REPLAY_LIMIT.toLocaleString()} go now, replay again for the rest.
            </>
          ) : (
            <>
              <strong>{plural(n ?? 0)}</strong> to replay.
            </>
          )}
        </output>
        {count.error ? <ErrorText error={count.error} /> : null}
        {replay.error ? <ErrorText error={replay.error} /> : null}
      </div>
    </Modal>
  );
}
