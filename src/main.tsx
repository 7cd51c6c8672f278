/**
 * Browser entry: the app with the worker-backed engine, booted in steps.
 *
 * Why steps: the budget is no main-thread task over 50 ms, load included (issue 13; `npm run
 * bench:ui -- --load-only` measures it), and a load used to evaluate the whole bundle (React, d3,
 * zod, the app) in one task, then render the first view in one more. This entry imports nothing
 * heavy itself: React comes in one chunk, the app in another, each evaluated in its own task with
 * a yield between, and the first render is a transition, which React renders in slices of a few
 * milliseconds instead of one block.
 */
import './ui/styles.css';

/** Lets the browser run other tasks (input, paint) before the next boot step. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function boot(root: HTMLElement) {
  const [{ StrictMode, startTransition }, { createRoot }] = await Promise.all([import('react'), import('react-dom/client')]);
  await nextTask();
  const [{ App }, { WorkerEngineClient }] = await Promise.all([import('./ui/App'), import('./client/worker-client')]);
  await nextTask();
  const createClient = () => new WorkerEngineClient();
  const reactRoot = createRoot(root);
  startTransition(() =>
    reactRoot.render(
      <StrictMode>
        <App createClient={createClient} mountInTurns />
      </StrictMode>,
    ),
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
boot(root).catch((e: unknown) => {
  // A chunk that did not arrive (the network, a deploy that replaced the files): say so on the
  // page instead of leaving it blank.
  root.textContent = `migviz could not start: ${e instanceof Error ? e.message : String(e)}. Reload the page.`;
  throw e;
});
