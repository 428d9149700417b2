// loadK8s() of the bundle (src/load-k8s.ts is that of the sources). The cluster layer (src/k8s
// with client-node, about 1.4 MB) is a bundle of its own, dist/k8s.cjs, loaded on a command's
// first cluster call: --help, --version and usage errors never load it. It cannot be part of the
// startup snapshot (node:http, https and tls do not serialise), and V8 takes a code cache only
// from the executable that made it (the snapshot's checksum is in it), so the first run keeps one
// in the user's cache directory and later runs skip parsing and compiling.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { Script } from 'node:vm';
import shared from 'sts-lab:k8s-shared';
import { K8S_ASSET, SHARED_PREFIX } from './k8s-assets.ts';
import type { K8sLayer } from './load-k8s.ts';

let layer: K8sLayer | undefined;

export function loadK8s(): Promise<K8sLayer> {
  layer ??= evaluate();
  return Promise.resolve(layer);
}

function evaluate(): K8sLayer {
  const code = isSea() ? getAsset(K8S_ASSET, 'utf8') : readFileSync(new URL(K8S_ASSET, import.meta.url), 'utf8');
  const cacheFile = codeCacheFile();
  const cachedData = cacheFile ? readIfThere(cacheFile) : undefined;
  const script = new Script(code, { filename: K8S_ASSET, cachedData });
  const module = { exports: {} };
  (script.runInThisContext() as BundleFunction)(module.exports, hostRequire, module);
  // Written at exit, so that what this command compiled (not only the start-up code) is in it.
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once('exit', () => keep(cacheFile, script));
  return module.exports as K8sLayer;
}

/** dist/k8s.cjs is one function expression: (exports, require, module) => void. */
type BundleFunction = (exports: object, require: (id: string) => unknown, module: { exports: object }) => void;

/**
 * The bundle's require: the modules of src/ it shares with this bundle (errors, the lab's domain)
 * as this bundle's own instances, so that `instanceof CliError` holds; built-in modules straight
 * from Node's table (Module._load's resolution of the bundle's hundred requires took some 3 ms).
 */
function hostRequire(id: string): unknown {
  if (id.startsWith(SHARED_PREFIX)) {
    const m = shared[id.slice(SHARED_PREFIX.length)];
    if (m) return m;
  } else if (isBuiltin(id)) return process.getBuiltinModule(id);
  throw Object.assign(new Error(`Cannot find module '${id}' (not bundled into kubectl-sts_lab)`), {
    code: 'MODULE_NOT_FOUND',
  });
}

/**
 * One file per executable: a code cache holds only for the Node (and startup snapshot) that made
 * it, so the bundle's hash, Node's version and the executable's size and time name it. No home, no cache.
 */
function codeCacheFile(): string | undefined {
  try {
    // XDG: a relative XDG_CACHE_HOME is ignored; never a cache relative to the working directory.
    const xdg = process.env.XDG_CACHE_HOME;
    const home = homedir();
    const base = xdg && isAbsolute(xdg) ? xdg : home ? join(home, '.cache') : undefined;
    if (!base) return undefined;
    const exe = statSync(process.execPath);
    return join(
      base,
      'sts-lab',
      'code-cache',
      `k8s-${__K8S_BUNDLE_HASH__}-${process.version}-${exe.size}-${Math.trunc(exe.mtimeMs)}.v8`,
    );
  } catch {
    // No home directory (homedir() throws), or an executable that is gone: no cache, no error.
    return undefined;
  }
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

const KEPT_CACHES = 4;

/**
 * Written atomically (commands run side by side); the newest few are kept (installs side by side); a read-only home is
 * no error.
 */
function keep(file: string, script: Script): void {
  const dir = join(file, '..');
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
    const byAge = readdirSync(dir)
      .filter((f) => f.endsWith('.v8'))
      .map((f) => ({ path: join(dir, f), mtimeMs: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of byAge.slice(KEPT_CACHES)) rmSync(old.path, { force: true });
  } catch {
    // Without a cache the next run compiles the bundle again: slower, not wrong.
  }
}
