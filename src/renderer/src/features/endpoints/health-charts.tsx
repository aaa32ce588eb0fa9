import type { EndpointHealth, StatsWindow } from '@shared';
import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { formatPercent } from '../../components';
import { type ChartOptions, themeColor, UPlotChart } from '../../components/charts/uplot-chart';
import { useRoute } from '../../lib/query';

const WINDOWS: ReadonlyArray<{ value: StatsWindow; label: string }> = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 days' },
];

const ms = (v: number | null) => (v === null ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);

function timeAxis(window: StatsWindow): uPlot.Axis {
  return {
    stroke: themeColor('--text-muted', '#5c6670'),
    grid: { stroke: themeColor('--border', '#dfe3e8'), width: 1 },
    values: (_u, splits) =>
      splits.map((s) => {
        const d = new Date(s * 1000);
        return window === '7d'
          ? d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })
          : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
      }),
  };
}

function valueAxis(unit: (v: number) => string): uPlot.Axis {
  return {
    stroke: themeColor('--text-muted', '#5c6670'),
    grid: { stroke: themeColor('--border', '#dfe3e8'), width: 1 },
    size: 56,
    values: (_u, splits) => splits.map(unit),
  };
}

/** Success rate and latency p50/p95 over time, and a histogram of response codes, for one endpoint. */
export function HealthCharts({ endpointId }: { endpointId: string }) {
  const [window, setWindow] = useState<StatsWindow>('24h');
  // refreshed when this endpoint's deliveries move (push invalidation, lib/query.ts); the interval slides the window
  const stats = useRoute('endpoints.stats', { window, endpointId }, { refetchInterval: 30_000 });
  const health = stats.data?.endpoints[0];
  return (
    <section className="card health-charts" aria-labelledby="health-over-time">
      <div className="row">
        <h3 id="health-over-time">Health over time</h3>
        <span className="spacer" style={{ flex: 1 }} />
        <fieldset className="segmented" aria-label="Time window">
          {WINDOWS.map((w) => (
            <label key={w.value} className={w.value === window ? 'active' : undefined}>
              <input
                type="radio"
                name="health-window"
                value={w.value}
                checked={w.value === window}
                onChange={() => setWindow(w.value)}
              />
              {w.label}
            </label>
          ))}
        </fieldset>
      </div>
      {stats.isPending ? <p className="muted">Loading…</p> : null}
      {health ? <Charts health={health} window={window} /> : null}
    </section>
  );
}

function Charts({ health, window }: { health: EndpointHealth; window: StatsWindow }) {
  const { successData, latencyData, codesData, successOpts, latencyOpts, codesOpts } = useMemo(() => {
    const t = health.buckets.map((b) => b.t / 1000);
    const ok = themeColor('--ok', '#15803d');
    const info = themeColor('--info', '#1d4ed8');
    const warn = themeColor('--warn', '#a16207');
    const successData: uPlot.AlignedData = [
      t,
      health.buckets.map((b) => (b.attempts === 0 ? null : (100 * b.succeeded) / b.attempts)),
    ];
    const latencyData: uPlot.AlignedData = [t, health.buckets.map((b) => b.p50Ms), health.buckets.map((b) => b.p95Ms)];
    const codes = health.codes;
    const codesData: uPlot.AlignedData = [codes.map((_, i) => i), codes.map((c) => c.count)];
    const legendless = { legend: { show: false }, cursor: { show: true, points: { show: false } } };
    const successOpts: ChartOptions = {
      ...legendless,
      scales: { x: { time: true }, y: { range: [0, 100] } },
      axes: [timeAxis(window), valueAxis((v) => `${v}%`)],
      series: [{}, { label: 'success', stroke: ok, width: 2, fill: `${ok}22`, points: { show: true, size: 5 } }],
    };
    const latencyOpts: ChartOptions = {
      legend: { show: true, live: false },
      cursor: { points: { show: false } },
      scales: { x: { time: true } },
      axes: [timeAxis(window), valueAxis((v) => ms(v))],
      series: [
        {},
        { label: 'p50', stroke: info, width: 2, points: { show: true, size: 5 } },
        { label: 'p95', stroke: warn, width: 2, dash: [6, 4], points: { show: true, size: 5 } },
      ],
    };
    const codesOpts = (U: typeof uPlot): ChartOptions => ({
      ...legendless,
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] },
        y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
      },
      axes: [
        {
          stroke: themeColor('--text-muted', '#5c6670'),
          splits: () => codes.map((_, i) => i),
          values: () => codes.map((c) => c.code),
          grid: { show: false },
        },
        valueAxis((v) => String(v)),
      ],
      series: [
        {},
        {
          label: 'attempts',
          stroke: info,
          fill: `${info}55`,
          paths: U.paths.bars?.({ size: [0.6, 64] }),
          points: { show: false },
        },
      ],
    });
    return { successData, latencyData, codesData, successOpts, latencyOpts, codesOpts };
  }, [health, window]);

  if (health.attempts === 0) {
    return <p className="muted">No attempts in this window.</p>;
  }
  const summary = `${formatPercent(health.successRate ?? 0)} of ${health.attempts} attempts succeeded`;
  return (
    <div className="health-grid">
      <figure>
        <figcaption>
          Success rate <span className="muted">{summary}</span>
        </figcaption>
        <UPlotChart options={successOpts} data={successData} height={150} label={`Success rate: ${summary}`} />
      </figure>
      <figure>
        <figcaption>
          Latency{' '}
          <span className="muted">
            p50 {ms(health.p50Ms)} · p95 {ms(health.p95Ms)}
          </span>
        </figcaption>
        <UPlotChart
          options={latencyOpts}
          data={latencyData}
          height={150}
          label={`Latency p50 ${ms(health.p50Ms)}, p95 ${ms(health.p95Ms)}`}
        />
      </figure>
      <figure>
        <figcaption>Response codes</figcaption>
        <UPlotChart
          options={codesOpts}
          data={codesData}
          height={150}
          label={`Response codes: ${health.codes.map((c) => `${c.code} × ${c.count}`).join(', ')}`}
        />
        <ul className="codes-legend" aria-label="Response codes">
          {health.codes.map((c) => (
            <li key={c.code}>
              <span className="mono">{c.code}</span> {c.count}
            </li>
          ))}
        </ul>
      </figure>
    </div>
  );
}
