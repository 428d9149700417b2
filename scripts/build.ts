// Bundles src/ into two CommonJS files: dist/cli.cjs, the single-executable entry and the npm
// bin (CommonJS because Node's single-executable support runs one CJS script whose require()
// reaches only built-in modules), and dist/k8s.cjs, the cluster layer that src/load-k8s.bundled.ts loads.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { SHARED_PREFIX } from '../src/k8s-assets.ts';
import { narrowWidthFastPath } from './lib/string-width-fast.ts';

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
  text.replace(
    /^const (\w+) = new Intl\.Segmenter\(([^)]*)\);/gm,
    (_, name, opts) =>
      `let ${name}$$; const ${name} = { segment: (s) => (${name}$$ ??= new Intl.Segmenter(${opts})).segment(s) };`,
  );

// 4. string-width's fast path for one-column strings: scripts/lib/string-width-fast.ts.

const startupFriendly: Plugin = {
  name: 'startup-friendly-modules',
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      let out = lazySegmenters(text);
      if (/[\\/]string-width[\\/]index\.js$/.test(args.path)) {
        const fast = narrowWidthFastPath(out);
        if (fast === out)
          throw new Error(`${args.path}: string-width changed shape; update scripts/lib/string-width-fast.ts`);
        out = fast;
      }
      return out === text ? undefined : { contents: out, loader: 'js' };
    });
  },
};

// 5. The cluster bundle imports the rest of src/ (errors, the lab's domain) from dist/cli.cjs, so
//    that both see one CliError class: such imports become `sts-lab:<path under src>`.
const SRC = resolve(import.meta.dirname, '..', 'src');
const K8S_DIR = join(SRC, 'k8s');
const fromHost: Plugin = {
  name: 'k8s-imports-from-host',
  setup(b) {
    b.onResolve({ filter: /^\.\.\// }, (args) => {
      const target = resolve(dirname(args.importer), args.path);
      if (!args.importer.startsWith(K8S_DIR) || target.startsWith(K8S_DIR)) return undefined;
      return { path: `${SHARED_PREFIX}${relative(SRC, target)}`, external: true };
    });
  },
};

// 6. In dist/cli.cjs, src/load-k8s.bundled.ts takes the place of src/load-k8s.ts, 'sts-lab:k8s-shared'
//    is the modules of 5. by path, and src/k8s itself is not reached (type-only imports are erased before this runs).
const hostSide = (shared: string[]): Plugin => ({
  name: 'k8s-host-side',
  setup(b) {
    b.onResolve({ filter: /^sts-lab:k8s-shared$/ }, () => ({ path: 'k8s-shared', namespace: 'k8s-shared' }));
    b.onLoad({ filter: /.*/, namespace: 'k8s-shared' }, () => ({
      resolveDir: SRC,
      loader: 'js',
      contents: `${shared.map((p, i) => `import * as m${i} from ${JSON.stringify(`./${p}`)};`).join('\n')}\nexport default {${shared.map((p, i) => `${JSON.stringify(p)}: m${i}`).join(', ')}};`,
    }));
    b.onResolve({ filter: /load-k8s\.ts$/ }, (args) => ({
      path: resolve(dirname(args.importer), args.path.replace(/\.ts$/, '.bundled.ts')),
    }));
    b.onResolve({ filter: /k8s\/index\.ts$/ }, (args) =>
      args.importer.startsWith(K8S_DIR)
        ? undefined
        : {
            errors: [
              { text: `${relative(SRC, args.importer)} imports src/k8s directly: use loadK8s() from src/load-k8s.ts` },
            ],
          },
    );
  },
});

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  loader: { '.yaml': 'text' },
  define: { __VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__import_meta_url' },
};

// One function expression, (exports, require, module) => void, compiled by src/load-k8s.bundled.ts.
const k8s = await build({
  ...common,
  entryPoints: ['src/k8s/index.ts'],
  outfile: 'dist/k8s.cjs',
  metafile: true,
  define: { ...common.define, 'import.meta.url': 'undefined' },
  banner: { js: '(function (exports, require, module) {' },
  footer: { js: '})' },
  plugins: [fromHost],
});
const shared = Object.values(k8s.metafile.outputs)
  .flatMap((o) => o.imports)
  .filter((i) => i.external && i.path.startsWith(SHARED_PREFIX))
  .map((i) => i.path.slice(SHARED_PREFIX.length));

await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/cli.cjs',
  define: {
    ...common.define,
    __K8S_BUNDLE_HASH__: JSON.stringify(
      createHash('sha256').update(readFileSync('dist/k8s.cjs')).digest('hex').slice(0, 16),
    ),
  },
  banner: { js: banner },
  plugins: [startupFriendly, hostSide([...new Set(shared)].sort())],
});
