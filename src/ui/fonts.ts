/**
 * The page's two font stacks, one home: App writes them as the CSS variables `--font-sans` and
 * `--font-mono` (styles.css uses nothing else), and the exports draw with them.
 *
 * Why only two stacks, whose first family is found on Linux, and only weights 400 and 600: at
 * load Chromium resolves each (family, weight) the page uses, missing families included, with a
 * synchronous request to the browser process, and each (family, size, weight) with another, all
 * inside the first layouts. Traced on the bench machine (issue 13), the page made 27 of them
 * with 4 family stacks and 3 weights, taking 42-83 ms of main-thread wall time per load; with
 * these, 21 (the sizes remain).
 * `system-ui` is the platform's UI font everywhere; DejaVu Sans Mono is on nearly every Linux
 * desktop, Menlo on macOS, Consolas on Windows.
 */
export const FONT_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
export const FONT_MONO = '"DejaVu Sans Mono", Menlo, Consolas, monospace';

/** The CSS variables styles.css reads. */
export const FONT_VARS = { '--font-sans': FONT_SANS, '--font-mono': FONT_MONO } as const;
