// Browser tests: starts the server on a fresh demo database, drives Debian's Chromium, runs every *.test.mjs here.
// Usage (from the repository root, after `cd web && npm ci`): node tests/browser/run.mjs [name-filter ...]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webRequire = createRequire(path.join(root, 'web', 'package.json'));

function fail(message) {
  console.error(`browser tests: ${message}`);
  process.exit(2);
}

let chromium;
try {
  ({ chromium } = webRequire('playwright-core'));
} catch {
  fail('playwright-core is missing: run `cd web && npm ci` first');
}
const axePath = webRequire.resolve('axe-core/axe.min.js');

const bin = path.resolve(root, process.env.ENSEMBLE_BIN || 'build/bin/ensemble');
if (!existsSync(bin)) fail(`no server binary at ${bin} (build it, or set ENSEMBLE_BIN)`);
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) fail(`no Chromium at ${chromiumPath} (apt-get install -y chromium)`);

const screenshots = path.join(root, 'build', 'screenshots');
mkdirSync(screenshots, { recursive: true });
for (const old of readdirSync(screenshots)) if (old.startsWith('FAILED-')) rmSync(path.join(screenshots, old));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A server on a fresh demo database; `env` adds settings (for example an email provider that fails).
async function startServer(env = {}) {
  const temp = mkdtempSync(path.join(tmpdir(), 'ensemble-browser-'));
  const dataDir = path.join(temp, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(temp, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(bin, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--database', `sqlite:${path.join(temp, 'e.db')}`], {
    cwd: root,
    env: {
      ...process.env,
      ENSEMBLE_DATA_DIR: dataDir,
      ENSEMBLE_MAIL_DIR: path.join(temp, 'mail'),
      ENSEMBLE_EMAIL_PROVIDER: 'file',
      ENSEMBLE_PUBLIC_URL: base,
      ENSEMBLE_LOG_ACCESS_LOG: 'off',
      ENSEMBLE_RATE_LIMITS_REGISTRATION_PER_MINUTE_PER_IP: '10000',
      ENSEMBLE_RATE_LIMITS_REGISTRATION_BURST: '10000',
      // Many tests sign in from the same address within a minute.
      ENSEMBLE_RATE_LIMITS_LOGIN_PER_MINUTE_PER_IP: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) fail(`the server stopped at start (${JSON.stringify(exited)}):\n${readFileSync(logFile, 'utf8')}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail(`the server did not answer /healthz within 60 s:\n${readFileSync(logFile, 'utf8')}`);
    await sleep(100);
  }
  const credentials = readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
  const admin = {
    email: credentials.match(/email:\s*(\S+)/)[1],
    password: credentials.match(/password:\s*(\S+)/)[1],
  };
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 120 && !exited; i += 1) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    log.end();
  };
  return { base, admin, temp, logFile, stop, mailDir: path.join(temp, 'mail') };
}

const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function launch(extraArgs = []) {
  // Playwright gives Chromium a new temporary --user-data-dir of its own and removes it on close.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...BROWSER_ARGS, ...extraArgs] });
}

async function loadTests(filters) {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.test.mjs'))
    .sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(here, file)).href);
    const list = Array.isArray(mod.default)
      ? mod.default.map((fn) => [fn.name, fn])
      : Object.entries(mod).filter(([, fn]) => typeof fn === 'function');
    for (const [name, fn] of list) {
      const full = `${file.replace('.test.mjs', '')}: ${name}`;
      if (filters.length === 0 || filters.some((f) => full.includes(f))) tests.push({ name: full, fn });
    }
  }
  return tests;
}

async function main() {
  const filters = process.argv.slice(2);
  const tests = await loadTests(filters);
  if (tests.length === 0) fail('no test matched');
  const server = await startServer();
  const browser = await launch();

  let passed = 0;
  let failed = 0;
  try {
    for (const test of tests) {
      const contexts = [];
      const problems = [];
      const extraBrowsers = [];
      const extraServers = [];
      const scratch = mkdtempSync(path.join(tmpdir(), 'ensemble-browser-test-'));
      const watch = (page) => {
        page.setDefaultTimeout(10_000);
        page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
        page.on('console', (msg) => {
          const text = msg.text();
          if (msg.type() === 'error' && !/status of 40[49]|status of 429|Failed to load resource/.test(text))
            problems.push(`console error on ${page.url()}: ${text}`);
          if (/Content Security Policy|Refused to/.test(text)) problems.push(`CSP violation on ${page.url()}: ${text}`);
        });
        return page;
      };
      const contextOptions = ({ base, phone, timezoneId, locale }) => ({
        baseURL: base,
        viewport: phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
        deviceScaleFactor: 1,
        isMobile: phone,
        hasTouch: phone,
        timezoneId,
        locale,
        acceptDownloads: true,
      });
      const ctx = {
        base: server.base,
        admin: server.admin,
        mailDir: server.mailDir,
        axePath,
        // A folder for files the test makes (removed after the test).
        scratch,
        // Another server, on its own fresh demo database, with `env` added to its settings; stopped after the test.
        async startServer(env) {
          const extra = await startServer(env);
          extraServers.push(extra);
          return extra;
        },
        // A page in a second Chromium whose camera is fake and shows `video` (a .y4m or .mjpeg file), with camera
        // permission granted. `bypassCSP` turns the pages' Content-Security-Policy off in that browser.
        async newCameraPage({ video, phone = true, timezoneId = 'America/Toronto', locale = 'en-CA', lang, base = server.base, bypassCSP = false } = {}) {
          const camera = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
          extraBrowsers.push(camera);
          const context = await camera.newContext({ ...contextOptions({ base, phone, timezoneId, locale }), bypassCSP, permissions: ['camera'] });
          if (lang) await context.addInitScript((l) => localStorage.setItem('ensemble.lang', l), lang);
          contexts.push(context);
          return watch(await context.newPage());
        },
        // A fresh browser profile per call: desktop by default; {phone: true} is a 360 × 740 touch screen.
        async newPage({ phone = false, timezoneId = 'America/Toronto', locale = 'en-CA', lang, base = server.base } = {}) {
          const context = await browser.newContext(contextOptions({ base, phone, timezoneId, locale }));
          if (lang) await context.addInitScript((l) => localStorage.setItem('ensemble.lang', l), lang);
          contexts.push(context);
          return watch(await context.newPage());
        },
        async shot(page, name) {
          await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
        },
      };
      const started = Date.now();
      let ok = false;
      try {
        await test.fn(ctx);
        if (problems.length) throw new Error(problems.join('\n'));
        ok = true;
        passed += 1;
        console.log(`ok   ${test.name} (${Date.now() - started} ms)`);
      } catch (err) {
        failed += 1;
        console.log(`FAIL ${test.name} (${Date.now() - started} ms)\n  ${String(err && err.stack ? err.stack : err).split('\n').join('\n  ')}`);
        for (const [i, context] of contexts.entries()) {
          for (const [k, page] of context.pages().entries()) {
            await page
              .screenshot({ path: path.join(screenshots, `FAILED-${test.name.replace(/[^a-zA-Z0-9]+/g, '-')}-${i}-${k}.png`), fullPage: true })
              .catch(() => {});
          }
        }
      } finally {
        for (const context of contexts) await context.close().catch(() => {});
        for (const extra of extraBrowsers) await extra.close().catch(() => {});
        for (const extra of extraServers) {
          await extra.stop();
          if (ok) rmSync(extra.temp, { recursive: true, force: true });
          else console.log(`  server log: ${extra.logFile}`);
        }
        rmSync(scratch, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
    if (failed) console.log(`server log: ${server.logFile}`);
    else rmSync(server.temp, { recursive: true, force: true });
  }
  console.log(`screenshots: ${path.relative(root, screenshots)}/`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
