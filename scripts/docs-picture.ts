// The README's picture: the top of an HTML lab report (its table and first timelines) as Chromium
// renders it. Usage: node scripts/docs-picture.ts REPORT.html OUT.png
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openInChromium } from './lib/chromium.ts';

const [report, out] = process.argv.slice(2);
if (!report || !out) throw new Error('usage: node scripts/docs-picture.ts REPORT.html OUT.png');
const page = await openInChromium(pathToFileURL(resolve(report)).href);
try {
  writeFileSync(out, await page.screenshot(1500));
} finally {
  await page.close();
}
console.error(`${out}: the top of ${report}`);
