import type { EndpointHealth } from '@shared';
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { formatPercent } from '../../components';
import { type ChartOptions, themeColor, UPlotChart } from '../../components/charts/uplot-chart';

/**
 * The endpoint's last 24 h in 96 bars of 15 minutes: each bar is as tall as the attempts of its quarter hour, red,
 * overdrawn green up to those that succeeded (a stacked bar without stacking). A lone busy quarter hour still
 * shows, which a line through mostly empty buckets would not.
 */
export function Sparkline({ health }: { health: EndpointHealth | undefined }) {
  const { options, data } = useMemo(() => {
    const ok = themeColor('--ok', '#15803d');
    const err = themeColor('--err', '#b91c1c');
    const buckets = health?.buckets ?? [];
    const options = (U: typeof uPlot): ChartOptions => {
      const bars = U.paths.bars?.({ size: [1, 4, 2] });
      return {
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        padding: [1, 1, 0, 1],
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ show: false }, { show: false }],
        series: [
          {},
          { stroke: err, fill: err, paths: bars, points: { show: false } },
          { stroke: ok, fill: ok, paths: bars, points: { show: false } },
        ],
      };
    };
    const data: uPlot.AlignedData = [
      buckets.map((_, i) => i),
      buckets.map((b) => b.attempts),
      buckets.map((b) => b.succeeded),
    ];
    return { options, data };
  }, [health]);
  if (!health || health.attempts === 0) return <span className="muted sparkline-empty">no attempts</span>;
  return (
    <UPlotChart
      className="sparkline"
      options={options}
      data={data}
      width={96}
      height={24}
      label={`Last 24 h: ${formatPercent(health.successRate ?? 0)} of ${health.attempts} attempts succeeded`}
    />
  );
}
