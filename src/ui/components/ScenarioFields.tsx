/**
 * The scenario's fields: guest, link, seed, settle time and the workload in the control row (the
 * loaded workload is always named there), and a "QEMU" disclosure with the stress parameters,
 * downtime limit, max-bandwidth and auto-converge with its three parameters, whose summary line
 * says what is loaded.
 *
 * Number fields keep what is typed as a draft and commit it on Enter or blur (Escape drops it):
 * typing 1024 loads one 1024 GiB guest, not 1, 10, 102 and 1024 in turn. A rejected field is
 * marked on its own (aria-invalid) with its message next to it.
 */
import { useId, useState } from 'react';
import { STRESS_PATTERNS, type StressPattern, WORKLOAD_IDS, type WorkloadId } from '../../engine/types';
import { useAppState, useSession, useStoreOf } from '../state/context';
import { formatBytes } from '../format';
import { CHECKPOINT_BUDGET_BYTES } from '../../protocol';
import {
  CONFIRM_ABOVE_BYTES,
  ENGINE_BYTES_PER_PAGE,
  engineMemoryBytes,
  guestLimitGiB,
  type NumberInputKey,
} from '../state/scenario-inputs';

/** What each workload is, in the words the select shows (src/engine/guest/workloads.ts; `running` is its RUNNING). */
export const WORKLOAD_TEXT: Record<WorkloadId, { label: string; title: string }> = {
  'idle-boot': { label: 'idle, just booted', title: 'An idle guest just after boot: most memory never touched' },
  'after-hog': {
    label: 'memory hog just exited',
    title: 'A memory-consuming workload ran and exited just before the migration: most memory free but stale',
  },
  running: {
    label: 'running (1 GiB at ~98 MiB/s)',
    title: 'A busy guest: a 1 GiB working set written at random at 25 000 pages/s (97.7 MiB/s), plus allocator churn',
  },
  stress: { label: 'stress (set below)', title: "A writer like mig_mon's mm_dirty: working set, dirty rate and pattern under QEMU" },
  'kernel-compile': {
    label: 'kernel build (make -j4)',
    title: 'A Linux kernel build in a 4-vCPU guest: four short-lived compilers, growing page cache, object files (KERNEL_COMPILE)',
  },
};

const PATTERN_TEXT: Record<StressPattern, string> = { random: 'random', sequential: 'sequential' };

function isWorkload(v: string): v is WorkloadId {
  return (WORKLOAD_IDS as readonly string[]).includes(v);
}
function isPattern(v: string): v is StressPattern {
  return (STRESS_PATTERNS as readonly string[]).includes(v);
}

interface NumberFieldProps {
  input: NumberInputKey;
  label: string;
  width: string;
  step?: string;
  min?: number;
  max?: number;
  title?: string;
  /** What a committed draft does (default: the session takes it as this input). */
  onCommit?: (text: string) => void;
}

/** A number input that commits on Enter or blur; its error, if any, right after it. */
export function NumberField({ input, label, width, step = 'any', min, max, title, onCommit }: NumberFieldProps) {
  const session = useSession();
  const lead = useAppState((s) => s.panels[0]);
  const committed = useStoreOf(lead, (s) => s.inputs[input]);
  const error = useStoreOf(lead, (s) => s.inputErrors[input]);
  const [draft, setDraft] = useState<string | null>(null);
  const errorId = useId();
  const commit = () => {
    if (draft === null) return;
    setDraft(null);
    if (draft === committed) return;
    if (onCommit) onCommit(draft);
    else session.setInput(input, draft);
  };
  // The message sits beside the label, not in it: it describes the field, it is not its name.
  return (
    <span className="field-with-error">
      <label className={`field${error ? ' is-invalid' : ''}`} title={title}>
        <span>{label}</span>
        <input
          type="number"
          inputMode="decimal"
          value={draft ?? committed}
          min={min}
          max={max}
          step={step}
          style={{ width }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            else if (e.key === 'Escape' && draft !== null) {
              setDraft(null);
              e.stopPropagation();
            }
          }}
        />
      </label>
      {error && (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

/**
 * The guest size; one whose engines would take much of the tab's memory waits for a
 * confirmation that says how much.
 */
function GuestField() {
  const session = useSession();
  const lead = useAppState((s) => s.panels[0]);
  const current = useStoreOf(lead, (s) => s.inputs.guestGiB);
  const panelCount = useAppState((s) => s.panels.length);
  const [pending, setPending] = useState<string | null>(null);
  const commit = (text: string) => {
    const gib = Number(text);
    if (Number.isFinite(gib) && engineMemoryBytes(gib, panelCount) > CONFIRM_ABOVE_BYTES) {
      setPending(text);
      return;
    }
    setPending(null);
    session.setInput('guestGiB', text);
  };
  return (
    <>
      <NumberField input="guestGiB" label="Guest GiB" width="5em" min={0} onCommit={commit} />
      <span
        className="muted"
        data-testid="guest-limit"
        title={`The engines take ${ENGINE_BYTES_PER_PAGE} bytes per guest page for the run and its timeline, and up to ${formatBytes(CHECKPOINT_BUDGET_BYTES)} of checkpoints${panelCount > 1 ? `, in each of ${panelCount} panels` : ''}; a guest over this asks first`}
      >
        up to {guestLimitGiB(panelCount)} GiB in this tab
      </span>
      {pending !== null && (
        <span className="confirm-guest" role="alert" data-testid="confirm-guest">
          A {pending} GiB guest takes about {formatBytes(engineMemoryBytes(Number(pending), panelCount))} of this tab's
          memory ({ENGINE_BYTES_PER_PAGE} bytes per page for the run and its timeline, and up to{' '}
          {formatBytes(CHECKPOINT_BUDGET_BYTES)} of checkpoints
          {panelCount > 1 ? `, in each of ${panelCount} panels` : ''}); the tab may be closed by the browser.{' '}
          <button
            type="button"
            onClick={() => {
              const text = pending;
              setPending(null);
              session.setInput('guestGiB', text);
            }}
          >
            Simulate it
          </button>{' '}
          <button type="button" onClick={() => setPending(null)}>
            Keep {current} GiB
          </button>
        </span>
      )}
    </>
  );
}

/** Guest, link, seed, settle time and the workload: the row's own fields. */
export function ScenarioFields() {
  const session = useSession();
  const lead = useAppState((s) => s.panels[0]);
  const workload = useStoreOf(lead, (s) => s.inputs.workload);
  return (
    <>
      <label className="field" title={WORKLOAD_TEXT[workload].title}>
        <span>Workload</span>
        <select
          value={workload}
          onChange={(e) => {
            if (isWorkload(e.target.value)) session.setInput('workload', e.target.value);
          }}
        >
          {WORKLOAD_IDS.map((id) => (
            <option key={id} value={id} title={WORKLOAD_TEXT[id].title}>
              {WORKLOAD_TEXT[id].label}
            </option>
          ))}
        </select>
      </label>
      <GuestField />
      <NumberField input="linkGbps" label="Link Gbit/s" width="5em" min={0} />
      <NumberField input="seed" label="Seed" width="6em" step="1" />
      <NumberField
        input="settleS"
        label="Settle s"
        width="4.5em"
        min={0}
        title="How long the guest ran after its memory took shape (boot, or the hog exiting) before the migration: time for free page reporting to catch up"
      />
      <QemuFields />
    </>
  );
}

/** The number fields inside the disclosure. */
const QEMU_INPUTS: readonly NumberInputKey[] = [
  'workingSetGiB',
  'dirtyMiBs',
  'hogPercent',
  'downtimeMs',
  'maxBandwidthMiBs',
  'cpuThrottleInitial',
  'cpuThrottleIncrement',
  'maxCpuThrottle',
];

/**
 * The disclosure with the stress writer, QEMU's migration parameters and auto-converge. Its
 * summary names what is loaded, so the closed panel still says it.
 */
function QemuFields() {
  const session = useSession();
  const lead = useAppState((s) => s.panels[0]);
  const scenario = useStoreOf(lead, (s) => s.scenario);
  const inputs = useStoreOf(lead, (s) => s.inputs);
  const invalid = useStoreOf(lead, (s) => QEMU_INPUTS.some((k) => s.inputErrors[k] !== undefined));
  const [open, setOpen] = useState(false);
  const stress = inputs.workload === 'stress';
  const summary = [
    scenario.workload === 'stress' ? `${scenario.workingSetGiB} GiB at ${scenario.dirtyMiBs} MiB/s ${scenario.pattern}` : null,
    scenario.workload === 'after-hog' ? `hog touched ${scenario.hogPercent} % of RAM` : null,
    `downtime ${scenario.downtimeMs} ms`,
    `max-bandwidth ${scenario.maxBandwidthMiBs} MiB/s`,
    scenario.autoConverge
      ? `auto-converge ${scenario.cpuThrottleInitial}+${scenario.cpuThrottleIncrement} % up to ${scenario.maxCpuThrottle} %`
      : 'auto-converge off',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    // Open while a field inside is invalid, so its mark is never hidden.
    <details
      className="qemu-fields"
      open={open || invalid}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      // Escape closes it, as it closes menus (a field's own Escape, dropping a draft, comes first).
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open && !invalid) {
          setOpen(false);
          e.stopPropagation();
        }
      }}
      data-testid="qemu-fields"
    >
      <summary title="Stress writer, downtime limit, max-bandwidth, auto-converge">
        <span className="qemu-summary">{summary}</span>
      </summary>
      <div className="qemu-grid">
        {stress && (
          <fieldset className="field-group">
            <legend>stress</legend>
            <NumberField input="workingSetGiB" label="Working set GiB" width="5em" min={0} title="Memory the writer allocates and keeps writing" />
            <NumberField
              input="dirtyMiBs"
              label="Dirty MiB/s"
              width="5.5em"
              min={0}
              title="MiB written per second, one write per 4 KiB page touched (as mm_dirty counts)"
            />
            <label className="field">
              <span>Pattern</span>
              <select
                value={inputs.pattern}
                onChange={(e) => {
                  if (isPattern(e.target.value)) session.setInput('pattern', e.target.value);
                }}
              >
                {STRESS_PATTERNS.map((p) => (
                  <option key={p} value={p}>
                    {PATTERN_TEXT[p]}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        )}
        {inputs.workload === 'after-hog' && (
          <fieldset className="field-group">
            <legend>memory hog</legend>
            <NumberField
              input="hogPercent"
              label="Hog touched %"
              width="4.5em"
              min={0}
              max={100}
              title="How much of the guest's RAM the memory hog wrote before it exited: the rest stays zero, what it wrote is free but stale"
            />
          </fieldset>
        )}
        <fieldset className="field-group">
          <legend>migration</legend>
          <NumberField input="downtimeMs" label="Downtime limit ms" width="5em" min={1} title="QEMU downtime-limit: the longest pause stop-and-copy may take" />
          <NumberField input="maxBandwidthMiBs" label="max-bandwidth MiB/s" width="6em" min={1} title="QEMU max-bandwidth (migrate_set_speed)" />
        </fieldset>
        <fieldset className="field-group">
          <legend>auto-converge</legend>
          <label className="field" title="QEMU's auto-converge capability: throttle the vCPUs while the guest dirties memory faster than half the send rate">
            <input type="checkbox" checked={inputs.autoConverge} onChange={(e) => session.setInput('autoConverge', e.target.checked)} />
            <span>Auto-converge</span>
          </label>
          {inputs.autoConverge && (
            <>
              <NumberField input="cpuThrottleInitial" label="initial %" width="4em" step="1" min={1} max={99} title="cpu-throttle-initial: the first throttle step" />
              <NumberField input="cpuThrottleIncrement" label="increment %" width="4em" step="1" min={1} max={99} title="cpu-throttle-increment: every later step" />
              <NumberField input="maxCpuThrottle" label="max %" width="4em" step="1" min={1} max={99} title="max-cpu-throttle: the throttle never goes above it" />
            </>
          )}
        </fieldset>
      </div>
    </details>
  );
}
