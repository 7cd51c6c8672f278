/**
 * Vite build plugin: the bundler's CommonJS module wrappers become function expressions, which
 * V8 compiles while the chunk streams in, off the main thread.
 *
 * Why: React and React DOM ship as CommonJS. Rolldown wraps each such module as
 * `__commonJSMin(((exports, module) => { ... }))` and runs the body on the first require. It
 * puts the wrapper in parentheses for V8's "possibly invoked function expression" heuristic
 * (https://v8.dev/blog/preparser: a function in parentheses is compiled eagerly), but the
 * heuristic is for `(function`; V8 only pre-parses the parenthesized arrow when it compiles the
 * chunk in the background, and parses its whole body again on the main thread when the chunk is
 * evaluated. For React DOM's client (about 200 KB minified) that made the evaluation task 34-64 ms
 * of main-thread CPU in Chromium 156; with `(function(exports, module) { ... })` it was 18-25 ms
 * (traced, 5 loads of each build). It was the one task over the 50 ms budget left in repeat
 * loads (issue 13, `npm run bench:ui -- --load-only`).
 *
 * The rewrite keeps the wrapper's meaning. The runtime calls the wrapper as a plain function, so
 * only `this` and `arguments` would differ between an arrow and a function, and a wrapper whose
 * body uses either outside its own nested functions is left as it is.
 */
import { type Plugin, parseAst } from 'vite';

/** An ESTree node as `parseAst` returns it: a type, a source range and child nodes. */
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/** The child nodes of `node`, in no particular order. */
function* children(node: Node): Generator<Node> {
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) yield v;
    } else if (isNode(value)) yield value;
  }
}

/** Whether `node` uses `this` or `arguments` where an arrow function would see the outer ones. */
function usesOuterThisOrArguments(node: Node): boolean {
  if (node.type === 'ThisExpression') return true;
  if (node.type === 'Identifier' && node.name === 'arguments') return true;
  // These bind their own `this` and `arguments` (a class's methods and field initializers).
  if (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody') return false;
  for (const child of children(node)) if (usesOuterThisOrArguments(child)) return true;
  return false;
}

/** The CommonJS wrappers of `program`: arrow functions passed to Rolldown's `__commonJSMin`. */
function* arrowWrappers(node: Node): Generator<Node> {
  if (node.type === 'CallExpression') {
    const callee = node.callee as Node;
    let [first] = node.arguments as Node[];
    while (first?.type === 'ParenthesizedExpression') first = first.expression as Node;
    if (callee.type === 'Identifier' && /^__commonJSMin/.test(callee.name as string) && first?.type === 'ArrowFunctionExpression') {
      yield first;
    }
  }
  for (const child of children(node)) yield* arrowWrappers(child);
}

/**
 * `code` (a chunk as Rolldown renders it, before minification) with each CommonJS wrapper
 * written as a function expression, and how many were rewritten and left as arrows.
 */
export function eagerCjsWrappers(code: string): { code: string; rewritten: number; kept: number } {
  if (!code.includes('__commonJSMin')) return { code, rewritten: 0, kept: 0 };
  const wrappers = [...arrowWrappers(parseAst(code) as unknown as Node)].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let rewritten = 0;
  for (const arrow of wrappers) {
    const body = arrow.body as Node;
    if (body.type !== 'BlockStatement' || arrow.async || usesOuterThisOrArguments(body)) continue;
    const params = (arrow.params as Node[]).map((p) => code.slice(p.start, p.end)).join(', ');
    out += `${code.slice(at, arrow.start)}function(${params}) `;
    at = body.start;
    rewritten++;
  }
  return { code: out + code.slice(at), rewritten, kept: wrappers.length - rewritten };
}

/** The plugin: rewrites every chunk's wrappers, and warns where one had to stay an arrow. */
export function eagerCjsWrappersPlugin(): Plugin {
  return {
    name: 'migviz:eager-cjs-wrappers',
    apply: 'build',
    renderChunk(code, chunk) {
      const r = eagerCjsWrappers(code);
      if (r.kept > 0) this.warn(`${chunk.fileName}: ${r.kept} CommonJS wrapper(s) use this/arguments and stay arrows (compiled lazily)`);
      // No source map: the build makes none (build.sourcemap is off). With one, this would have
      // to return the rewrite's map (magic-string) to keep the chain right.
      return r.rewritten > 0 ? { code: r.code, map: null } : null;
    },
  };
}
