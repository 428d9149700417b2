// Headless Chromium (Debian's package) driven over the DevTools protocol with Node's own
// WebSocket: open a page, record every request it makes, evaluate in it, take screenshots.
// Used by the browser test of the HTML report and by the README's picture (docs-picture.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Page {
  /** Every URL the page asked for, in order (Network.requestWillBeSent). */
  requests: string[];
  evaluate<T>(expression: string): Promise<T>;
  /** The whole page, or its first maxHeight pixels. */
  screenshot(maxHeight?: number): Promise<Buffer>;
  /** prefers-color-scheme, as the operating system would set it. */
  colorScheme(scheme: 'light' | 'dark'): Promise<void>;
  close(): Promise<void>;
}

export async function openInChromium(url: string, width = 1000): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), 'sts-lab-chromium-'));
  const browser = spawn(
    'chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--no-first-run',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      `--window-size=${width},1200`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    const port = await devtoolsPort(browser);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const ws = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
    await new Promise((ok, fail) => {
      ws.addEventListener('open', ok, { once: true });
      ws.addEventListener('error', () => fail(new Error("cannot connect to chromium's DevTools")), { once: true });
    });
    let id = 0;
    const pending = new Map<number, { ok: (v: any) => void; fail: (e: Error) => void }>();
    const listeners = new Map<string, ((params: any) => void)[]>();
    ws.addEventListener('message', (m) => {
      const msg = JSON.parse(String(m.data));
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.fail(new Error(`${msg.error.message}`));
        else p?.ok(msg.result);
      } else for (const l of listeners.get(msg.method) ?? []) l(msg.params);
    });
    const send = (method: string, params: object = {}): Promise<any> =>
      new Promise((ok, fail) => {
        pending.set(++id, { ok, fail });
        ws.send(JSON.stringify({ id, method, params }));
      });
    const on = (method: string, l: (params: any) => void) =>
      listeners.set(method, [...(listeners.get(method) ?? []), l]);
    const requests: string[] = [];
    on('Network.requestWillBeSent', (p) => requests.push(p.request.url));
    await Promise.all([send('Network.enable'), send('Page.enable')]);
    const loaded = new Promise((ok) => on('Page.loadEventFired', ok));
    await send('Page.navigate', { url });
    await loaded;
    return {
      requests,
      evaluate: async (expression) =>
        (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result.value,
      screenshot: async (maxHeight = Infinity) => {
        const { contentSize } = await send('Page.getLayoutMetrics');
        const height = Math.min(maxHeight, Math.ceil(contentSize.height));
        const shot = await send('Page.captureScreenshot', {
          format: 'png',
          captureBeyondViewport: true,
          clip: { x: 0, y: 0, width, height, scale: 1 },
        });
        return Buffer.from(shot.data, 'base64');
      },
      colorScheme: (scheme) =>
        send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] }),
      close: async () => {
        ws.close();
        stop(browser, profile);
      },
    };
  } catch (e) {
    stop(browser, profile);
    throw e;
  }
}

function stop(browser: ChildProcess, profile: string): void {
  browser.kill('SIGKILL');
  rmSync(profile, { recursive: true, force: true });
}

/** Chromium prints "DevTools listening on ws://127.0.0.1:PORT/…" once it is ready. */
function devtoolsPort(browser: ChildProcess): Promise<number> {
  return new Promise((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`chromium did not start in 30 s:\n${text}`)), 30_000);
    browser.stderr!.on('data', (d) => {
      text += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    browser.on('exit', (code) => fail(new Error(`chromium exited ${code}:\n${text}`)));
  });
}
