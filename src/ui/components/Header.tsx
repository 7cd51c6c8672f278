/** Title bar with the page-wide actions: tour, copy link, exports, theme, presentation, shortcuts. */
import { useRef, useState } from 'react';
import { EXAMPLE_FILE_NAMES, FORMAT_LABEL, MAX_IMPORT_BYTES, MEASURED_FORMATS } from '../../import/measured-run';
import { useAppState, useSession } from '../state/context';
import type { Session } from '../state/session';
import type { ThemePref } from '../theme';
import { ExportMenu } from './ExportMenu';

/**
 * Hands a file the user gave the page (Open…, or dropped on it) to the session. A file over the
 * import limit is not read at all (the session reports its size).
 */
export async function openUserFile(session: Session, file: File): Promise<void> {
  await session.openFile(file.size > MAX_IMPORT_BYTES ? '' : await file.text(), file.name, file.size);
}

/**
 * The example files in public/examples/, made by migviz's own simulation (npm run examples), not
 * measurements: each shows a format Open… imports.
 */
const EXAMPLE_FILES = MEASURED_FORMATS.map((f) => ({ file: EXAMPLE_FILE_NAMES[f], label: FORMAT_LABEL[f] }));

async function openExample(session: Session, file: string): Promise<void> {
  let text: string;
  try {
    // Relative to the page, so the built site works under any base path.
    const res = await fetch(`examples/${file}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (e) {
    session.fileFailed(file, `${file} could not be fetched (${e instanceof Error ? e.message : String(e)})`);
    return;
  }
  await session.openFile(text, file);
}

const THEME_LABEL: Record<ThemePref, string> = { system: 'System', dark: 'Dark', light: 'Light', projector: 'Projector' };

export function Header() {
  const session = useSession();
  const themePref = useAppState((s) => s.themePref);
  const presenting = useAppState((s) => s.presenting);
  const tourStep = useAppState((s) => s.tourStep);
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  // On narrow screens (styles.css) the actions fold into a menu behind this toggle.
  const [menuOpen, setMenuOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const openFile = async (file: File | undefined) => {
    if (!file) return;
    await openUserFile(session, file);
    if (fileInput.current) fileInput.current.value = ''; // the same file may be opened again
  };

  const copyLink = async () => {
    const url = `${window.location.origin}${window.location.pathname}${session.search()}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('ok');
      session.announce('Link copied');
    } catch {
      // No clipboard (insecure origin, permissions): at least the address bar holds the link.
      window.history.replaceState(window.history.state, '', url);
      setCopied('failed');
      session.announce('Could not copy; the link is in the address bar');
    }
    setTimeout(() => setCopied('idle'), 2000);
  };

  return (
    <header className="app-head">
      <h1>
        migviz <span className="muted subtitle">· QEMU pre-copy live migration, page by page</span>
      </h1>
      <button
        type="button"
        className="actions-toggle chrome"
        aria-expanded={menuOpen}
        aria-controls="header-actions"
        onClick={() => setMenuOpen((o) => !o)}
      >
        Menu ☰
      </button>
      <div id="header-actions" className={`actions chrome${menuOpen ? ' open' : ''}`}>
        <button
          type="button"
          onClick={() => (tourStep === null ? void session.goToStep(0) : session.endTour())}
          // The tour's chunk starts loading as the pointer or focus comes near (a failure here is
          // said by the click, which tries again).
          onPointerEnter={() => session.loadTour().catch(() => {})}
          onFocus={() => session.loadTour().catch(() => {})}
          title="The story for talks, step by step; each step waits for the next key (PageDown / PageUp)"
          aria-pressed={tourStep !== null}
        >
          Tour
        </button>
        <button type="button" onClick={copyLink} title="Copy a link to exactly this view">
          {copied === 'ok' ? 'Copied ✓' : copied === 'failed' ? 'See address bar' : 'Copy link'}
        </button>
        <button
          type="button"
          onClick={() => fileInput.current?.click()}
          title="Open a scenario file (JSON, as Export → Scenario writes it) or import a measured run (a guestperf report, a log of query-migrate replies); or drop the file on the page"
        >
          Open…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.jsonl,.ndjson,.log,.txt,application/json"
          hidden
          aria-label="Scenario or measured run file"
          onChange={(e) => void openFile(e.target.files?.[0])}
        />
        <select
          className="examples-select"
          aria-label="Open an example measured run"
          title="Example files of the formats Open… imports, made by migviz's own simulation, not measurements"
          value=""
          onChange={(e) => {
            if (e.target.value) void openExample(session, e.target.value);
          }}
        >
          <option value="">Examples…</option>
          {EXAMPLE_FILES.map((x) => (
            <option key={x.file} value={x.file}>
              {x.label} (example, simulated)
            </option>
          ))}
        </select>
        <ExportMenu />
        <button
          type="button"
          onClick={() => session.cycleTheme()}
          title="Theme: system → dark → light → projector (high contrast)"
          aria-label={`Theme: ${THEME_LABEL[themePref]}`}
        >
          Theme: {THEME_LABEL[themePref]}
        </button>
        <button type="button" onClick={() => session.togglePresent()} aria-pressed={presenting} title="Presentation mode (F)">
          Present
        </button>
        <button type="button" onClick={() => session.toggleOverlay('shortcuts')} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
    </header>
  );
}
