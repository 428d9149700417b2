// The local cluster's Kubernetes versions: each one the scripts offer is built from its minor's
// wrapper module, and that module requires exactly that version (else the binaries would be
// labelled and cached as a version they are not).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const cluster = new URL('../../test/cluster/', import.meta.url);
const common = readFileSync(new URL('lib/common.sh', cluster), 'utf8');
const versions = /^K8S_VERSIONS="([^"]+)"$/m.exec(common)![1]!.split(' ');
const defaultVersion = /^K8S_VERSION="\$\{STS_LAB_K8S_VERSION:-(v[0-9.]+)\}"$/m.exec(common)?.[1];

test('the default version is one the scripts offer', () => {
  assert.ok(defaultVersion, 'no default K8S_VERSION in lib/common.sh');
  assert.ok(versions.includes(defaultVersion), `${defaultVersion} is not in K8S_VERSIONS (${versions.join(' ')})`);
});

for (const version of versions) {
  test(`${version} has its own wrapper module, requiring exactly ${version}`, () => {
    const minor = /^v1\.(\d+)\.\d+$/.exec(version)?.[1];
    assert.ok(minor, `${version} is not a v1.MINOR.PATCH version`);
    const mod = new URL(`k8s/v1.${minor}/go.mod`, cluster);
    assert.ok(existsSync(mod), `no wrapper module k8s/v1.${minor}/go.mod for ${version}`);
    const text = readFileSync(mod, 'utf8');
    assert.match(text, new RegExp(`^\\s*(require )?k8s\\.io/kubernetes ${version.replaceAll('.', '\\.')}( |$)`, 'm'));
    for (const replaced of text.matchAll(/^\s*(k8s\.io\/\S+) => \S+ (v\S+)$/gm)) {
      assert.equal(
        replaced[2],
        `v0.${minor}.${version.split('.')[2]}`,
        `${replaced[1]} is replaced with another release than ${version}'s`,
      );
    }
    assert.ok(existsSync(new URL(`k8s/v1.${minor}/go.sum`, cluster)), `k8s/v1.${minor}/go.sum is missing`);
  });
}
