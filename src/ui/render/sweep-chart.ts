/**
 * The sweep chart's geometry, pure (no DOM): scales, one line per mode through the medians, the
 * min–max band of its seeds, the failed points (a mark on the x axis, never a value), and the
 * labelled points (published measurements, measured runs) where they fall. SweepChart.tsx draws it.
 */
import { area, line, scaleLinear, scaleLog } from 'd3';
import type { ModeId } from '../../engine/types';
import type { LabelledPoint, SweepPoint, SweepSeries } from '../../sweep/index';

/** viewBox of the chart: as wide as the single view's charts pane at 1440 px, half as high. */
export const SWEEP_CHART_SIZE = { width: 720, height: 340, margin: { top: 16, right: 24, bottom: 44, left: 64 } } as const;

/**
 * A log x axis when every value is above 0 and they span a factor of 10 or more (guest sizes
 * 1–128 GiB, link speeds): on a linear axis half the points would sit in the first tenth.
 */
export function xIsLog(values: readonly number[]): boolean {
  if (values.length < 2 || values.some((v) => v <= 0)) return false;
  return Math.max(...values) / Math.min(...values) >= 10;
}

export interface ChartPoint {
  readonly cx: number;
  readonly cy: number;
  readonly point: SweepPoint;
}

export interface ChartLine {
  readonly mode: ModeId;
  /** Path through the medians; segments stop at a point without a value. */
  readonly path: string;
  /** The min–max band of the seeds (empty when every point has one seed). */
  readonly band: string;
  readonly points: readonly ChartPoint[];
  /** Failed points, drawn just above the x axis at their x. */
  readonly failed: readonly { cx: number; point: SweepPoint }[];
  /** Height of this line's failed marks: one row per line, so two modes failing at one x both show. */
  readonly failedY: number;
}

export interface ChartLabel {
  readonly cx: number;
  readonly cy: number;
  readonly label: string;
  /** The measurement, in the metric's unit. */
  readonly value: number;
  readonly kind: 'published' | 'measured';
  readonly mode?: ModeId;
}

export interface SweepChartModel {
  readonly logX: boolean;
  readonly xTicks: readonly { x: number; text: string }[];
  readonly yTicks: readonly { y: number; text: string }[];
  readonly lines: readonly ChartLine[];
  readonly labels: readonly ChartLabel[];
  /** Bottom of the plot area (the x axis), for the failed marks. */
  readonly axisY: number;
}

/** Size of a failed mark (an ✕ of 10 px) with its gap: marks of several lines stack by this. */
const FAILED_MARK_PX = 13;

const tickText = (v: number) => (Math.abs(v) >= 10_000 ? `${Number((v / 1000).toPrecision(3))}k` : String(Number(v.toPrecision(4))));

export function sweepChartModel(
  values: readonly number[],
  series: readonly SweepSeries[],
  published: readonly LabelledPoint[] = [],
  measured: readonly LabelledPoint[] = [],
  size = SWEEP_CHART_SIZE,
): SweepChartModel {
  const { width, height, margin: m } = size;
  const logX = xIsLog(values);
  const xs = [...values, ...published.map((p) => p.x), ...measured.map((p) => p.x)];
  const lo = xs.length ? Math.min(...xs) : 0;
  const hi = xs.length ? Math.max(...xs) : 1;
  const x = logX
    ? scaleLog()
        .domain([lo, hi === lo ? lo * 10 : hi])
        .range([m.left, width - m.right])
    : scaleLinear()
        .domain([lo, hi === lo ? lo + 1 : hi])
        .range([m.left, width - m.right]);
  const ys = [
    ...series.flatMap((s) => s.points.flatMap((p) => (p.value ? [p.value.max] : []))),
    ...published.map((p) => p.y),
    ...measured.map((p) => p.y),
  ];
  const y = scaleLinear()
    .domain([0, ys.length ? Math.max(...ys) * 1.05 || 1 : 1])
    .range([height - m.bottom, m.top])
    .nice();
  const xTicks = (logX ? values : x.ticks(Math.min(8, values.length))).map((v) => ({ x: x(v), text: tickText(v) }));
  const yTicks = y.ticks(6).map((v) => ({ y: y(v), text: tickText(v) }));
  const lines = series.map((s, i) => {
    const valued = s.points.filter((p) => p.value !== null);
    const path =
      line<SweepPoint>()
        .defined((p) => p.value !== null)
        .x((p) => x(p.x))
        .y((p) => y(p.value?.median ?? 0))(s.points as SweepPoint[]) ?? '';
    const spread = valued.some((p) => p.value && p.value.max > p.value.min);
    const band = spread
      ? (area<SweepPoint>()
          .defined((p) => p.value !== null)
          .x((p) => x(p.x))
          .y0((p) => y(p.value?.min ?? 0))
          .y1((p) => y(p.value?.max ?? 0))(s.points as SweepPoint[]) ?? '')
      : '';
    return {
      mode: s.mode,
      path,
      band,
      points: valued.map((p) => ({ cx: x(p.x), cy: y(p.value?.median ?? 0), point: p })),
      failed: s.points.filter((p) => p.failed !== null).map((p) => ({ cx: x(p.x), point: p })),
      failedY: height - m.bottom - FAILED_MARK_PX * (i + 0.75),
    };
  });
  const labels: ChartLabel[] = [
    ...published.map((p) => ({ cx: x(p.x), cy: y(p.y), label: p.label, value: p.y, kind: 'published' as const, mode: p.mode })),
    ...measured.map((p) => ({ cx: x(p.x), cy: y(p.y), label: p.label, value: p.y, kind: 'measured' as const, mode: p.mode })),
  ];
  return { logX, xTicks, yTicks, lines, labels, axisY: height - m.bottom };
}
