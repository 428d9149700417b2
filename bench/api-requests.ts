// API traffic, from the local cluster's audit log: every request `kubectl sts-lab tour` makes,
// beside the same lab done with plain kubectl (bench/kubectl-lab.sh). Goal (issue 17): at most
// half as many, and no read repeated where one watch would do. Appends to bench/results.md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clusterPaths, ROOT } from '../test/cluster/paths.ts';

const paths = clusterPaths();
const AUDIT = join(paths.STS_LAB_CLUSTER_DIR ?? '', 'logs', 'audit.log');
const image = paths.STS_LAB_IMAGE ?? 'localhost/sts-lab-nginx:1.0';
const env = {
  ...process.env,
  KUBECONFIG: paths.STS_LAB_KUBECONFIG ?? '',
  PATH: `${paths.STS_LAB_KUBECTL_DIR}:${join(ROOT, 'dist', 'bin')}:${process.env.PATH}`,
};

interface Event {
  auditID: string;
  verb: string;
  requestURI: string;
  requestReceivedTimestamp: string;
  user: { username: string };
}

/**
 * The audit events of requests in one namespace made while `run` ran (rotation aside: the log is large enough for a
 * bench).
 */
function requestsOf(ns: string, run: () => void): Event[] {
  const from = statSync(AUDIT).size;
  // A watch is logged when it ends: one a cluster component opened before the run is not the run's.
  const startedAt = Date.now();
  run();
  // The size read before the run may have ended inside a line the API server was writing.
  const log = readFileSync(AUDIT);
  const start = from === 0 || log[from - 1] === 0x0a ? from : log.indexOf(0x0a, from) + 1;
  const text = log.subarray(start).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // '' after the last newline, or a line still being written
  const seen = new Map<string, Event>();
  for (const line of lines) {
    const e = JSON.parse(line) as Event;
    if (e.user.username.startsWith('system:') || Date.parse(e.requestReceivedTimestamp) < startedAt) continue;
    if (
      e.requestURI.includes(`/namespaces/${ns}/`) ||
      e.requestURI.endsWith(`/namespaces/${ns}`) ||
      !e.requestURI.includes('/namespaces/')
    )
      seen.set(e.auditID, e);
  }
  return [...seen.values()];
}

const sh = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
};
const tour = requestsOf('sts-lab-api-tour', () =>
  sh('kubectl', ['sts-lab', '-n', 'sts-lab-api-tour', '--progress', 'none', 'tour', '--image', image]),
);
const plain = requestsOf('sts-lab-api-kubectl', () =>
  sh('bash', [join(ROOT, 'bench', 'kubectl-lab.sh'), 'sts-lab-api-kubectl', image]),
);

const byVerb = (es: Event[]) =>
  Object.entries(es.reduce<Record<string, number>>((m, e) => ({ ...m, [e.verb]: (m[e.verb] ?? 0) + 1 }), {}))
    .sort()
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
/** Reads of the same URL more than once: where a watch that was open could have answered. */
const repeated = (es: Event[]) => {
  const counts = new Map<string, number>();
  for (const e of es.filter((x) => x.verb === 'get' || x.verb === 'list')) {
    const key = `${e.verb} ${e.requestURI.replace(/[?&](timeout|resourceVersion|timeoutSeconds)=[^&]*/g, '')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
};
const ratio = tour.length / plain.length;
const top = repeated(tour).slice(0, 8);
const md = `
## API requests (the local cluster's audit log)

| run | requests | by verb |
|---|---|---|
| \`kubectl sts-lab tour\` (the seed part) | ${tour.length} | ${byVerb(tour)} |
| the same lab with plain kubectl (\`bench/kubectl-lab.sh\`) | ${plain.length} | ${byVerb(plain)} |

Ratio ${ratio.toFixed(2)}, goal ≤ 0.5: **${ratio <= 0.5 ? 'met' : `not met (${((ratio / 0.5 - 1) * 100).toFixed(0)} % over)`}**. A watch counts once however long it stays open; an exec is one request.
Reads the tour repeated (the same URL read more than once): ${top.length ? top.map(([k, n]) => `\`${k}\` ×${n}`).join('; ') : 'none'}.
`;
appendFileSync(join(ROOT, 'bench', 'results.md'), md);
console.log(md);
