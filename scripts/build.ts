// Bundles src/ into one CommonJS file (dist/cli.cjs): the single-executable entry and the
// npm bin. CommonJS because Node's single-executable support runs one CJS script whose
// require() reaches only built-in modules.
import { readFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { narrowWidthFastPath } from './string-width-fast.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// 1. Any non-builtin require left in the bundle (optional deps such as bufferutil inside
//    try/catch) fails fast and quietly, and a stray node_modules on disk is never picked up.
// 2. yargs calls createRequire(import.meta.url) at load time; in CJS that needs a real URL.
const banner = `"use strict";
var require = ((r) => { const { isBuiltin } = r("node:module"); const g = (id) => { if (isBuiltin(id)) return r(id); const e = new Error("Cannot find module '" + id + "' (not bundled into kubectl-sts_lab)"); e.code = "MODULE_NOT_FOUND"; throw e; }; return Object.assign(g, r); })(require);
const __import_meta_url = require("node:url").pathToFileURL(__filename).href;`;

// 3. Module-level Intl objects (Intl.Segmenter in string-width, wrap-ansi, slice-ansi) hold native
//    ICU state that a V8 startup snapshot cannot carry: they are made on first use instead.
const lazySegmenters = (text: string) =>
  text.replace(/^const (\w+) = new Intl\.Segmenter\(([^)]*)\);/gm, (_, name, opts) => `let ${name}$$; const ${name} = { segment: (s) => (${name}$$ ??= new Intl.Segmenter(${opts})).segment(s) };`);

// 4. string-width's fast path for one-column strings: scripts/string-width-fast.ts.

const startupFriendly: Plugin = {
  name: 'startup-friendly-modules',
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      let out = lazySegmenters(text);
      if (/[\\/]string-width[\\/]index\.js$/.test(args.path)) {
        const fast = narrowWidthFastPath(out);
        if (fast === out) throw new Error(`${args.path}: string-width changed shape; update scripts/string-width-fast.ts`);
        out = fast;
      }
      return out === text ? undefined : { contents: out, loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  loader: { '.yaml': 'text' },
  define: { __VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__import_meta_url' },
  banner: { js: banner },
  plugins: [startupFriendly],
});
