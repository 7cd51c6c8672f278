/**
 * The built page in headless Chromium, for the scripts that look at it as a user would:
 * `bench-ui.ts` (the page's budgets) and `screenshots.ts` (the README's pictures). Both serve
 * `dist` (run `vite build` first; their npm scripts do) with `vite preview` and drive Debian's
 * /usr/bin/chromium, or $CHROMIUM, with puppeteer-core.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { preview } from 'vite';

/** The viewport both measure and picture the page at (the 1440x900). */
export const VIEWPORT = { width: 1440, height: 900 };

/** The console errors and uncaught exceptions of `page` from now on, filled as they come. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** `vite preview` of dist on `port` (or the next free one): its base URL and how to stop it. */
async function startPreview(port: number): Promise<{ base: string; close: () => Promise<void> }> {
  const server = await preview({ preview: { port, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' });
  return {
    base: server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

/**
 * Headless Chromium with the flags every bench:ui figure in the README was measured with: no
 * GPU (the development machines have none), and no first-run, sync or background network work
 * of the browser's own competing with the page for the two cores.
 */
function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}

/**
 * Serves dist on `port`, starts Chromium, runs `body` with them and stops both, however it ends.
 * A failure is one line on stderr ("error: ...") and exit code 1.
 */
export function withBuiltPage(port: number, body: (browser: Browser, base: string) => Promise<void>): void {
  void (async () => {
    const server = await startPreview(port);
    const browser = await launchChromium();
    try {
      await body(browser, server.base);
    } finally {
      await browser.close();
      await server.close();
    }
  })().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
