// A uPlot chart in React: drawn on a canvas (no DOM per point, fast for thousands of points), sized to its box,
// redrawn when its data changes. uPlot is loaded on first use, so pages without charts do not pay for it.
// CSP: canvas needs nothing; uPlot's own CSS is bundled (style-src 'self') and it sizes its parts through
// element.style (CSSOM), which style-src does not restrict. No CSP change was needed.

import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** jsdom (the renderer's unit tests) has no canvas: charts are skipped there, their text summaries stay. */
export const canDrawCharts = () => typeof navigator !== 'undefined' && !/jsdom/i.test(navigator.userAgent);

/** A colour of the theme (CSS variables do not reach a canvas, so they are read once per draw). */
export function themeColor(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

export interface UPlotChartProps {
  /**
   * everything but width and height, which follow the box; a function gets the uPlot class (loaded lazily) for
   * what lives on it, such as `uPlot.paths.bars`
   */
  options: ChartOptions | ((U: typeof uPlot) => ChartOptions);
  data: uPlot.AlignedData;
  height: number;
  /** fixed width (sparklines); default: the box's width */
  width?: number;
  className?: string;
  /** the chart's text alternative (what it shows, in words) */
  label: string;
}

export function UPlotChart({ options, data, height, width, className, label }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !canDrawCharts()) return;
    let chart: uPlot | null = null;
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const w = () => width ?? Math.max(120, Math.floor(el.clientWidth));
      const opts = typeof options === 'function' ? options(UPlot) : options;
      chart = new UPlot({ ...opts, width: w(), height }, data, el);
      if (width === undefined) {
        observer = new ResizeObserver(() => chart?.setSize({ width: w(), height }));
        observer.observe(el);
      }
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart?.destroy();
    };
  }, [options, data, height, width]);
  return <div ref={box} className={className} role="img" aria-label={label} />;
}
