/**
 * The sweep view: one parameter on the x axis over its values, one line per mode, the metric on
 * y; everything else is the scenario on screen. Runs go to the sweep pool (Web Workers) and the
 * chart fills as they finish, with a progress count and Cancel; a changed setting or scenario
 * starts the new sweep and cancels the outdated runs. A point opens its run at its end.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { ModeId } from '../../engine/types';
import {
  type LabelledPoint,
  METRIC_IDS,
  type MetricChoice,
  type MetricId,
  metricTitle,
  paramSpec,
  paramTitle,
  measuredPoints,
  sweepTrust,
  publishedPoints,
  SWEEP_PARAM_IDS,
  type SweepParamId,
  seriesOf,
  isSweepParamId,
  isMetricId,
  MAX_SEEDS,
  BASE_METRICS,
} from '../../sweep/index';
import { createSweepPool } from '../../client/sweep-workers';
import { modeColor, modeLabel, parseModeId, UI_MODES } from '../modes';
import { SWEEP_CHART_SIZE, sweepChartModel } from '../render/sweep-chart';
import { useAppState, useExportRegistry, useSession, useStoreOf } from '../state/context';
import { SweepController } from '../state/sweep-controller';
import type { SweepSettings } from '../view';

export interface SweepViewProps {
  settings: SweepSettings;
}

export function SweepView({ settings }: SweepViewProps) {
  const session = useSession();
  const imported = useAppState((s) => s.measured);
  const lead = useAppState((s) => s.panels[0]);
  const base = useStoreOf(lead, (s) => s.scenario);
  // This module is the sweep's chunk (App loads it lazily): the controller is made here.
  const sweep = session.sweepOf((createPool) => new SweepController(createPool ?? (() => createSweepPool())));
  const st = useStore(sweep.store);

  useEffect(() => sweep.run(settings, base), [sweep, settings, base]);
  // Leaving the view stops the sweep, so the single view gets the cores; coming back resumes it
  // (what finished is cached). Its own effect: a new setting must not cancel before the new
  // sweep has taken over the runs the two share.
  useEffect(() => () => sweep.cancel(), [sweep]);

  const metric = settings.metric;
  const series = useMemo(
    () => (st.spec ? seriesOf(st.spec, st.runs, st.results, metric) : []),
    [st.spec, st.runs, st.results, metric],
  );
  const published = useMemo(() => (st.spec ? publishedPoints(st.spec, st.runs, metric) : []), [st.spec, st.runs, metric]);
  // The imported run (Open…, a drop, Examples…) where it falls on this sweep.
  const measured = useMemo(
    () => (st.spec ? measuredPoints(st.spec, st.runs, metric, imported) : []),
    [st.spec, st.runs, metric, imported],
  );
  const trust = useMemo(() => sweepTrust(st.runs, modeLabel), [st.runs]);
  const title = `${metricTitle(metric, modeLabel).replace(/ \(.*\)$/, '')} vs ${paramSpec(settings.param).label}`;
  const set = (patch: Partial<SweepSettings>) => session.setSweep({ ...settings, ...patch });

  return (
    <section className="sweep-view" aria-label="Sweep">
      <SweepSettingsForm settings={settings} set={set} />
      <div className="sweep-status" aria-live="polite">
        {st.error ? (
          <span className="field-error" role="alert">
            {st.error}
          </span>
        ) : (
          <>
            <span data-testid="sweep-progress">
              {st.done} / {st.total} runs
              {st.elapsedMs !== null ? ` in ${(st.elapsedMs / 1000).toFixed(1)} s` : ''}
              {st.cancelled ? ' (cancelled)' : ''}
            </span>
            {st.running ? (
              <button type="button" onClick={() => sweep.cancel()}>
                Cancel
              </button>
            ) : st.cancelled ? (
              <button type="button" onClick={() => sweep.run(settings, base)}>
                Resume
              </button>
            ) : null}
            {st.note && <span className="sweep-note">{st.note}</span>}
          </>
        )}
      </div>
      <SweepChart
        title={title}
        xTitle={paramTitle(settings.param)}
        yTitle={metricTitle(metric, modeLabel)}
        values={st.spec?.values ?? []}
        series={series}
        published={published}
        measured={measured}
        metric={metric}
        param={settings.param}
      />
      {trust.length > 0 && (
        <ul className="sweep-trust muted" data-testid="sweep-trust" aria-label="How far to trust each line">
          {trust.map((t) => (
            <li key={t.mode}>{t.text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The sweep's settings: parameter, values, modes, metric, seeds. */
function SweepSettingsForm({ settings, set }: { settings: SweepSettings; set: (p: Partial<SweepSettings>) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const valuesId = useId();
  const commitValues = () => {
    if (draft !== null && draft !== settings.values) set({ values: draft });
    setDraft(null);
  };
  const toggleMode = (m: ModeId, on: boolean) => {
    const modes = on ? UI_MODES.filter((x) => x === m || settings.modes.includes(x)) : settings.modes.filter((x) => x !== m);
    if (modes.length > 0) set({ modes });
  };
  const metricOf = (id: MetricId): MetricChoice =>
    id === 'speedup' ? { id, over: settings.metric.id === 'speedup' ? settings.metric.over : settings.modes[0] } : { id };
  return (
    <div className="sweep-settings control-row">
      <label className="field">
        <span>x</span>
        <select
          value={settings.param}
          onChange={(e) => {
            const param = e.target.value;
            if (!isSweepParamId(param)) return;
            const p = paramSpec(param);
            // A new parameter brings its own range: the default sizes, or its whole range in 8 steps.
            const values = param === 'guest-gib' ? '1:128:8:log' : `${p.min}:${p.max}:8${p.min > 0 && p.max / p.min >= 100 ? ':log' : ''}`;
            set({ param, values, seeds: param === 'seed' ? 1 : settings.seeds });
          }}
        >
          {SWEEP_PARAM_IDS.map((id) => (
            <option key={id} value={id}>
              {paramTitle(id)}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={valuesId} title="A list (1,2,4) or from:to:steps, :log for log spacing">
        <span>values</span>
        <input
          id={valuesId}
          type="text"
          value={draft ?? settings.values}
          size={16}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commitValues}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitValues();
            if (e.key === 'Escape') setDraft(null);
          }}
        />
      </label>
      <fieldset className="sweep-modes">
        <legend>lines</legend>
        {UI_MODES.map((m) => (
          <label key={m} className="field">
            <input type="checkbox" checked={settings.modes.includes(m)} onChange={(e) => toggleMode(m, e.target.checked)} />
            <span>{modeLabel(m)}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>y</span>
        <select
          value={settings.metric.id}
          onChange={(e) => {
            if (isMetricId(e.target.value)) set({ metric: metricOf(e.target.value) });
          }}
        >
          {METRIC_IDS.map((id) => (
            <option key={id} value={id}>
              {id === 'speedup' ? 'speed-up (total time)' : BASE_METRICS[id].label}
            </option>
          ))}
        </select>
      </label>
      {settings.metric.id === 'speedup' && (
        <label className="field">
          <span>over</span>
          <select
            value={settings.metric.over}
            onChange={(e) => {
              const over = parseModeId(e.target.value);
              if (over) set({ metric: { id: 'speedup', over } });
            }}
          >
            {UI_MODES.map((m) => (
              <option key={m} value={m}>
                {modeLabel(m)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field" title="Seeds per point: the scenario's seed and the next ones, drawn as a min–max band around the median">
        <span>seeds</span>
        <select value={settings.seeds} disabled={settings.param === 'seed'} onChange={(e) => set({ seeds: Number(e.target.value) })}>
          {Array.from({ length: MAX_SEEDS }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

interface SweepChartProps {
  title: string;
  xTitle: string;
  yTitle: string;
  values: readonly number[];
  series: ReturnType<typeof seriesOf>;
  published: readonly LabelledPoint[];
  measured: readonly LabelledPoint[];
  metric: MetricChoice;
  param: SweepParamId;
}

const fmt = (v: number) => String(Number(v.toPrecision(4)));

/** The chart: axes, a band and a line per mode, failed marks on the x axis, labelled points. */
export function SweepChart({ title, xTitle, yTitle, values, series, published, measured, metric, param }: SweepChartProps) {
  const session = useSession();
  const exports = useExportRegistry();
  const theme = useAppState((s) => s.theme);
  const svgRef = useRef<SVGSVGElement>(null);
  const [opens, setOpens] = useState<'single' | ModeId>('single');
  const model = useMemo(() => sweepChartModel(values, series, published, measured), [values, series, published, measured]);
  const latest = useRef({ series, published, measured });
  latest.current = { series, published, measured };
  const modes = series.map((s) => s.mode);
  const modesKey = modes.join(',');

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    return exports.addSweep({
      svg,
      title,
      xTitle,
      yTitle,
      modes: modesKey.split(',') as ModeId[],
      points: () => latest.current,
    });
  }, [exports, title, xTitle, yTitle, modesKey]);

  const { width, height, margin: m } = SWEEP_CHART_SIZE;
  const unit = metric.id === 'speedup' ? '×' : BASE_METRICS[metric.id].unit;
  const other = opens === 'single' ? null : opens;
  return (
    <div className="sweep-chart">
      <div className="panel-head">
        <h2 className="sweep-title">{title}</h2>
        <label className="field">
          <span>a click opens</span>
          <select value={opens} onChange={(e) => setOpens(e.target.value === 'single' ? 'single' : (parseModeId(e.target.value) ?? 'single'))}>
            <option value="single">the run, at its end</option>
            {UI_MODES.map((md) => (
              <option key={md} value={md}>
                compare with {modeLabel(md)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <svg ref={svgRef} className="charts-svg sweep-svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${yTitle} against ${xTitle}`}>
        <g className="chart-axis">
          {model.yTicks.map((t) => (
            <g key={`y${t.y}`}>
              <line x1={m.left} x2={width - m.right} y1={t.y} y2={t.y} stroke={theme.chart.grid} />
              <text x={m.left - 6} y={t.y + 3} textAnchor="end">
                {t.text}
              </text>
            </g>
          ))}
          {model.xTicks.map((t) => (
            <g key={`x${t.x}`}>
              <line x1={t.x} x2={t.x} y1={model.axisY} y2={model.axisY + 4} />
              <text x={t.x} y={model.axisY + 15} textAnchor="middle">
                {t.text}
              </text>
            </g>
          ))}
          <line x1={m.left} x2={width - m.right} y1={model.axisY} y2={model.axisY} />
          <text className="chart-title" x={(m.left + width - m.right) / 2} y={height - 8} textAnchor="middle">
            {xTitle}
            {model.logX ? ' · log scale' : ''}
          </text>
          <text className="chart-title" transform={`translate(14,${(m.top + model.axisY) / 2}) rotate(-90)`} textAnchor="middle">
            {yTitle}
          </text>
        </g>
        {model.lines.map((l) => {
          const c = modeColor(theme, l.mode);
          return (
            <g key={l.mode} className="sweep-line" data-mode={l.mode}>
              {l.band && <path d={l.band} fill={c} fillOpacity={0.18} stroke="none" />}
              <path d={l.path} fill="none" stroke={c} strokeWidth={2} />
              {l.points.map((p) => {
                const v = p.point.value;
                const seeds = p.point.total > 1 && v ? ` (median of ${p.point.total} seeds, ${fmt(v.min)}–${fmt(v.max)})` : '';
                const text = `${modeLabel(l.mode)} at ${param} ${fmt(p.point.x)}: ${v ? fmt(v.median) : ''} ${unit}${seeds}. Click opens it${other ? ` against ${modeLabel(other)}` : ''}.`;
                return (
                  // biome-ignore lint/a11y/useSemanticElements: an SVG mark cannot be a <button>; it has the role, a name and the keys.
                  <circle
                    key={p.point.xIndex}
                    className="sweep-point"
                    cx={p.cx}
                    cy={p.cy}
                    r={4.5}
                    fill={c}
                    role="button"
                    tabIndex={0}
                    aria-label={text}
                    onClick={() => session.openSweepRun(p.point.runs[0], other)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        session.openSweepRun(p.point.runs[0], other);
                      }
                    }}
                  >
                    <title>{text}</title>
                  </circle>
                );
              })}
              {l.failed.map((f) => {
                const text = `${modeLabel(l.mode)} at ${param} ${fmt(f.point.x)}: no ${metricTitle(metric, modeLabel)}: ${f.point.failed}`;
                return (
                  // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names the mark for screen readers.
                  <g
                    key={`f${f.point.xIndex}`}
                    className="sweep-failed"
                    transform={`translate(${f.cx},${l.failedY})`}
                    aria-label={text}
                    role="img"
                  >
                    <title>{text}</title>
                    <path d="M-5,-5L5,5M-5,5L5,-5" stroke={c} strokeWidth={2.5} />
                  </g>
                );
              })}
            </g>
          );
        })}
        {model.labels.map((p) => (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; role img names the point for screen readers.
          <g key={`${p.kind}-${p.label}`} className={`sweep-labelled sweep-${p.kind}`} transform={`translate(${p.cx},${p.cy})`} role="img" aria-label={`${p.kind === 'published' ? 'Published' : 'Measured'}: ${p.label}, ${fmt(p.value)} ${unit}`}>
            <title>{`${p.kind === 'published' ? 'Published' : 'Measured'}: ${p.label}, ${fmt(p.value)} ${unit}`}</title>
            {p.kind === 'published' ? (
              <path d="M0,-6L6,0L0,6L-6,0Z" fill="none" stroke={p.mode ? modeColor(theme, p.mode) : theme.css.text} strokeWidth={2} />
            ) : (
              <rect x={-5} y={-5} width={10} height={10} fill="none" stroke={p.mode ? modeColor(theme, p.mode) : theme.css.text} strokeWidth={2} />
            )}
            {/* Beside the point, towards the middle: a label at the right edge is not cut off. */}
            <text
              x={p.cx > SWEEP_CHART_SIZE.width / 2 ? -8 : 8}
              y={-6}
              fontSize={10}
              fill={theme.css.text}
              textAnchor={p.cx > SWEEP_CHART_SIZE.width / 2 ? 'end' : 'start'}
            >
              {p.label}
            </text>
          </g>
        ))}
      </svg>
      <ul className="sweep-legend">
        {modes.map((md) => (
          <li key={md}>
            <span className="sweep-key" style={{ background: modeColor(theme, md) }} /> {modeLabel(md)}
          </li>
        ))}
        <li>band: min–max of the seeds, line: their median</li>
        {model.lines.some((l) => l.failed.length > 0) && <li>✕ on the axis: no value (the run failed or did not converge; hover for why)</li>}
        {published.length > 0 && <li>◇ published measurement</li>}
        {measured.length > 0 && <li>□ measured run</li>}
      </ul>
    </div>
  );
}
