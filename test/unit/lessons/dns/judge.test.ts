import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dnsPresence,
  judgeLookup,
  LOOKUP_MARK,
  parseLookup,
  parseResolvConf,
  splitLookups,
} from '../../../../src/lessons/dns/judge.ts';

test('busybox nslookup answers, skipping the server address', () => {
  const out =
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tnginx-sts-0.nginx-headless.scenarios.svc.cluster.local\nAddress: 10.244.0.7\n';
  assert.deepEqual(parseLookup(out), { kind: 'answer', ips: ['10.244.0.7'] });
  const many =
    'Server: 10.96.0.10\nAddress: 10.96.0.10:53\n\nName: nginx-headless.x.svc.cluster.local\nAddress: 10.244.0.9\nName: nginx-headless.x.svc.cluster.local\nAddress: 10.244.0.8\n';
  assert.deepEqual(parseLookup(many), { kind: 'answer', ips: ['10.244.0.8', '10.244.0.9'] });
});

test('NXDOMAIN, no server, and getent output', () => {
  assert.deepEqual(
    parseLookup(
      "Server: 10.96.0.10\nAddress: 10.96.0.10:53\n\n** server can't find nope.svc.cluster.local: NXDOMAIN\n",
    ),
    { kind: 'nxdomain' },
  );
  assert.equal(parseLookup(';; connection timed out; no servers could be reached\n').kind, 'no-server');
  assert.deepEqual(parseLookup('10.244.0.5      nginx-sts-1.nginx-headless.scenarios.svc.cluster.local\n'), {
    kind: 'answer',
    ips: ['10.244.0.5'],
  });
});

test('an answer must be exactly the expected IPs', () => {
  assert.equal(judgeLookup('a', 'p', ['10.0.0.1'], { kind: 'answer', ips: ['10.0.0.1'] }).ok, true);
  assert.equal(judgeLookup('a', 'p', ['10.0.0.1'], { kind: 'answer', ips: ['10.0.0.2'] }).ok, false);
  assert.equal(
    judgeLookup('svc', 'p', ['10.0.0.2', '10.0.0.1'], { kind: 'answer', ips: ['10.0.0.1', '10.0.0.2'] }).ok,
    true,
  );
  assert.equal(
    judgeLookup('svc', 'p', ['10.0.0.1', '10.0.0.2'], { kind: 'answer', ips: ['10.0.0.1'] }).ok,
    false,
    'a missing pod is a wrong answer',
  );
  assert.equal(judgeLookup('a', 'p', ['10.0.0.1'], { kind: 'nxdomain' }).ok, false);
});

test('a pod that is not Ready must have no record: NXDOMAIN passes, an answer or a silent server fails', () => {
  assert.equal(judgeLookup('a', 'p', ['10.0.0.1'], { kind: 'nxdomain' }, 'nxdomain').ok, true);
  assert.equal(judgeLookup('a', 'p', ['10.0.0.1'], { kind: 'answer', ips: ['10.0.0.1'] }, 'nxdomain').ok, false);
  assert.equal(judgeLookup('a', 'p', ['10.0.0.1'], { kind: 'no-server', detail: 'timed out' }, 'nxdomain').ok, false);
});

test('resolv.conf: nameservers and search domains', () => {
  const r = parseResolvConf(
    'search scenarios.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  );
  assert.deepEqual(r, {
    nameservers: ['10.96.0.10'],
    search: ['scenarios.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
  });
});

test('cluster DNS is present when the kubelet configured it or a kube-dns Service exists, and says how that was decided', () => {
  const kubelet = parseResolvConf(
    'search x.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\n',
  );
  const host = parseResolvConf('search lan\nnameserver 192.168.1.1\n');
  assert.deepEqual(dnsPresence({ resolv: kubelet, service: undefined, clusterDomain: 'cluster.local' }).present, true);
  assert.match(
    dnsPresence({ resolv: kubelet, service: '10.96.0.10', clusterDomain: 'cluster.local' }).how,
    /points at 10\.96\.0\.10 with search domain svc\.cluster\.local; Service kube-system\/kube-dns has clusterIP 10\.96\.0\.10/,
  );
  assert.equal(dnsPresence({ resolv: host, service: '10.96.0.10', clusterDomain: 'cluster.local' }).present, true);
  const none = dnsPresence({ resolv: host, service: null, clusterDomain: 'cluster.local' });
  assert.equal(none.present, false);
  assert.match(none.how, /without the cluster's search domains, and no kube-dns Service in kube-system/);
  assert.equal(
    dnsPresence({ resolv: { nameservers: [], search: [] }, service: undefined, clusterDomain: 'cluster.local' })
      .present,
    false,
  );
});

test("one shell's output for several names splits into each name's own, by the marker lines", () => {
  const out = [
    `${LOOKUP_MARK} b.svc`,
    'Name:\tb.svc',
    'Address: 10.0.0.2',
    `${LOOKUP_MARK} a.svc`,
    "** server can't find a.svc: NXDOMAIN",
    '',
  ].join('\n');
  const parts = splitLookups(out, ['a.svc', 'b.svc', 'c.svc']);
  assert.deepEqual([...parts.keys()], ['a.svc', 'b.svc'], 'a name the shell never reached has no section');
  assert.deepEqual(parseLookup(parts.get('b.svc')!), { kind: 'answer', ips: ['10.0.0.2'] });
  assert.deepEqual(parseLookup(parts.get('a.svc')!), { kind: 'nxdomain' });
});
