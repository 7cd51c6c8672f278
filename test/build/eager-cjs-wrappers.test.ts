// The build plugin that writes Rolldown's CommonJS wrappers as function expressions (V8 compiles
// those eagerly in the background; see src/build/eager-cjs-wrappers.ts): the rewrite on rendered
// chunk text, and on a real build, so that a change in how Rolldown renders wrappers fails here
// instead of quietly bringing back the long task at load.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { eagerCjsWrappers, eagerCjsWrappersPlugin } from '../../src/build/eager-cjs-wrappers';

const wrapped = (body: string, params = 'exports, module') =>
  `var require_m = /* @__PURE__ */ __commonJSMin(((${params}) => {\n${body}\n}));\n`;

/** Runs chunk text that defines `require_m`, with a minimal `__commonJSMin`, and requires it. */
function requireM(code: string): unknown {
  const runtime = 'const __commonJSMin = (cb, mod) => () => (mod || cb((mod = { exports: {} }).exports, mod), mod.exports);';
  return new Function(`${runtime}\n${code}\nreturn require_m();`)();
}

describe('eagerCjsWrappers', () => {
  it('writes an arrow wrapper as a parenthesized function expression that exports the same', () => {
    const code = wrapped('function helper() { return arguments.length; }\nmodule.exports = { n: 42, helper };');
    const r = eagerCjsWrappers(code);
    expect(r).toMatchObject({ rewritten: 1, kept: 0 });
    expect(r.code).toContain('__commonJSMin((function(exports, module) {');
    expect(r.code).not.toContain('=>');
    const m = requireM(r.code) as { n: number; helper: (...a: unknown[]) => number };
    expect(m.n).toBe(42);
    expect(m.helper(1, 2)).toBe(2);
  });

  it('rewrites a one-parameter wrapper and every wrapper of a chunk', () => {
    const code = wrapped('exports.a = 1;', 'exports') + wrapped('module.exports = 2;').replace('require_m', 'require_n');
    const r = eagerCjsWrappers(code);
    expect(r).toMatchObject({ rewritten: 2, kept: 0 });
    expect(r.code).toContain('__commonJSMin((function(exports) {');
    expect(requireM(r.code)).toEqual({ a: 1 });
  });

  it('leaves a wrapper whose own body uses this or arguments (an arrow sees the outer ones)', () => {
    for (const body of ['module.exports = this;', 'module.exports = () => arguments;', 'exports.x = () => this;']) {
      const r = eagerCjsWrappers(wrapped(body));
      expect(r, body).toMatchObject({ rewritten: 0, kept: 1 });
      expect(r.code).toBe(wrapped(body));
    }
  });

  it('uses of this inside nested functions and classes do not count', () => {
    const body = 'class C { x = this; m() { return this; } }\nmodule.exports = function () { return [this, arguments]; };';
    expect(eagerCjsWrappers(wrapped(body))).toMatchObject({ rewritten: 1, kept: 0 });
  });

  it('leaves chunks without wrappers, and other arrows, alone', () => {
    const code = 'export const f = ((a) => { return a; });\nconst g = (x) => x;';
    expect(eagerCjsWrappers(code)).toEqual({ code, rewritten: 0, kept: 0 });
  });
});

describe('eagerCjsWrappersPlugin in a real build', () => {
  it('the minified output has function wrappers, no arrow wrappers, and runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migviz-cjs-'));
    try {
      writeFileSync(join(dir, 'lib.cjs'), 'var n = 0; exports.next = function () { return ++n; }; exports.name = "lib";\n');
      writeFileSync(join(dir, 'entry.js'), 'import lib from "./lib.cjs";\nexport const out = [lib.name, lib.next(), lib.next()];\n');
      await build({
        root: dir,
        configFile: false,
        logLevel: 'silent',
        plugins: [eagerCjsWrappersPlugin()],
        build: { outDir: join(dir, 'out'), minify: true, lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: 'entry' } },
      });
      const file = readdirSync(join(dir, 'out')).find((f) => /\.m?js$/.test(f)) as string;
      const code = readFileSync(join(dir, 'out', file), 'utf8');
      expect(code).toMatch(/\(\(function\s*\(\w+(,\s*\w+)?\)\s*\{/);
      expect(code).not.toMatch(/\(\(\(?[\w,\s]*\)?\s*=>\s*\{/);
      const mod = await import(pathToFileURL(join(dir, 'out', file)).href);
      expect(mod.out).toEqual(['lib', 1, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
