/** Things laid over the page: the bad-link, bad-file, export and load notices, the ? overlay, the announcer. */
import { type ReactNode, useEffect, useRef } from 'react';
import { SHORTCUTS } from '../hooks/use-shortcuts';
import { useAppState, useSession } from '../state/context';

/** A dismissible alert listing what went wrong with something the user gave the page. */
function Notice(props: { title: string; items: readonly string[]; testId: string; what: string; onDismiss: () => void }) {
  return (
    <div className="notice" role="alert" data-testid={props.testId}>
      <div>
        <strong>{props.title}</strong>
        <ul>
          {props.items.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </div>
      <button type="button" onClick={props.onDismiss} aria-label={`Dismiss ${props.what} notice`}>
        Dismiss
      </button>
    </div>
  );
}

/** What was wrong with the link; the page runs on defaults for those fields. */
export function UrlNotice() {
  const session = useSession();
  const errors = useAppState((s) => s.urlErrors);
  if (errors.length === 0) return null;
  return (
    <Notice
      title="Part of this link could not be used; the defaults apply instead:"
      items={errors}
      testId="url-notice"
      what="link"
      onDismiss={() => session.dismissUrlErrors()}
    />
  );
}

/** Why the file (a scenario, a measured run) could not be opened; what was on screen stays. */
export function FileNotice() {
  const session = useSession();
  const error = useAppState((s) => s.fileError);
  if (error === null) return null;
  return (
    <Notice
      title="The file was not opened; nothing changed:"
      items={[error]}
      testId="file-notice"
      what="file"
      onDismiss={() => session.dismissFileError()}
    />
  );
}

/** Why the last export failed; nothing was downloaded. */
export function ExportNotice() {
  const session = useSession();
  const error = useAppState((s) => s.exportError);
  if (error === null) return null;
  return (
    <Notice
      title="The export failed; nothing was downloaded:"
      items={[error]}
      testId="export-notice"
      what="export"
      onDismiss={() => session.dismissExportError()}
    />
  );
}

/** A part of the page could not be loaded (its chunk did not arrive); the rest works. */
export function LoadNotice() {
  const session = useSession();
  const error = useAppState((s) => s.loadError);
  if (error === null) return null;
  return <Notice title="Part of the page did not load:" items={[error]} testId="load-notice" what="load" onDismiss={() => session.dismissLoadError()} />;
}

export function ShortcutsOverlay() {
  const session = useSession();
  const open = useAppState((s) => s.overlay === 'shortcuts');
  if (!open) return null;
  const close = () => session.closeTopmost();
  return (
    <ModalDialog titleId="shortcuts-title" title="Keyboard shortcuts" onClose={close}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <th scope="row">
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' or '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </th>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ModalDialog>
  );
}

/** The focusable elements of `root`, in tab order (what a focus trap cycles through). */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.hasAttribute('disabled'),
  );
}

/**
 * A modal dialog (the shortcut list, the clip settings): it takes the focus when it opens, Tab
 * and Shift+Tab stay inside it, and the focus goes back where it was when it closes. Page keys do
 * not act behind it (use-shortcuts.ts).
 */
export function ModalDialog({
  titleId,
  title,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const el = ref.current;
    if (el) (focusables(el)[0] ?? el).focus();
    return () => before?.focus();
  }, []);
  const trap = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const f = focusables(ref.current);
    if (f.length === 0) return;
    const first = f[0];
    const last = f[f.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (!ref.current.contains(document.activeElement)) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes, as Escape does
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled page-wide
    <div className="overlay-backdrop" onClick={onClose}>
      {/* The dialog has its own keyboard handler (the focus trap); its click only stops the backdrop's. */}
      <div
        ref={ref}
        className="overlay"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={trap}
        onClick={(e) => e.stopPropagation()}
      >
        <header className="panel-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/** Status changes for screen readers: play/pause, phases, tour steps. */
export function Announcer() {
  const a = useAppState((s) => s.announcement);
  return (
    <div className="visually-hidden" aria-live="polite" role="status" data-testid="announcer">
      {/* A new node per message, so the same words announce again. */}
      <span key={a.seq}>{a.text}</span>
    </div>
  );
}
