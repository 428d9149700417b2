// Loaded with NODE_OPTIONS=--require: at exit, how much of the process's memory is its own
// (anonymous) and how much is mapped from files (the executable's pages), to $RSS_SPLIT_FILE.
process.on('exit', () => {
  const fs = require('node:fs');
  const rollup = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kib = (key) => Number(rollup.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
  fs.writeFileSync(
    process.env.RSS_SPLIT_FILE,
    JSON.stringify({ anonKiB: kib('Anonymous'), fileKiB: kib('Rss') - kib('Anonymous') }),
  );
});
