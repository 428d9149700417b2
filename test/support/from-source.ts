// What the bundle gives the sources at build time (scripts/build.ts), for running src/ directly
// under Node: __VERSION__, and manifests/*.yaml as text (esbuild's text loader).
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

(globalThis as { __VERSION__?: string }).__VERSION__ ??= 'test';

registerHooks({
  load(url, context, nextLoad) {
    if (!url.endsWith('.yaml')) return nextLoad(url, context);
    return {
      format: 'module',
      shortCircuit: true,
      source: `export default ${JSON.stringify(readFileSync(fileURLToPath(url), 'utf8'))};`,
    };
  },
});
