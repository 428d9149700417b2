import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clusterPaths, ROOT } from '/work/main/test/cluster/paths.ts';
const paths = clusterPaths();
const AUDIT = join(paths.STS_LAB_CLUSTER_DIR ?? '', 'logs', 'audit.log');
const env = { ...process.env, KUBECONFIG: paths.STS_LAB_KUBECONFIG ?? '', PATH: `${paths.STS_LAB_KUBECTL_DIR}:${join(ROOT, 'dist', 'bin')}:${process.env.PATH}` };
const [ns, ...cmd] = process.argv.slice(2);
const from = statSync(AUDIT).size; const startedAt = Date.now();
const r = spawnSync(cmd[0]!, cmd.slice(1), { env, stdio: ['ignore', 'ignore', 'inherit'] });
const log = readFileSync(AUDIT); const start = log[from - 1] === 0x0a ? from : log.indexOf(0x0a, from) + 1;
const lines = log.subarray(start).toString('utf8').split('\n'); lines.pop();
const seen = new Map<string, any>();
for (const line of lines) { const e = JSON.parse(line); if (e.user.username.startsWith('system:') || Date.parse(e.requestReceivedTimestamp) < startedAt) continue;
  if (e.requestURI.includes(`/namespaces/${ns}/`) || e.requestURI.endsWith(`/namespaces/${ns}`) || !e.requestURI.includes('/namespaces/')) seen.set(e.auditID, e); }
const es = [...seen.values()].sort((a, b) => a.requestReceivedTimestamp.localeCompare(b.requestReceivedTimestamp));
for (const e of es) console.log(e.requestReceivedTimestamp.slice(11, 23), e.verb.padEnd(16), e.requestURI.replace(/\?.*command=/, '?command=').slice(0, 150));
console.log('total', es.length, 'exit', r.status);
