// The patient page's load time on a local node (scripts/web.sh bench): from navigation until the page shows the
// patient's consents and accounting of disclosures read from the chain. Prints one benchmark line; not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const RUNS = Number(process.env.HEALTHCHAIN_BENCH_RUNS ?? 7);
const here = import.meta.dirname;
const server = await preview({ configFile: join(here, '..', 'vite.config.ts'), root: join(here, '..'), preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
const port = server.httpServer.address().port;
const launch = (profile) => chromium.launchPersistentContext(profile, {
  executablePath: process.env.HEALTHCHAIN_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const times = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const profile = mkdtempSync(join(tmpdir(), 'healthchain-bench-')); // a fresh profile, a cold cache, every run
    const context = await launch(profile);
    const page = await context.newPage();
    const start = performance.now();
    await page.goto(`http://127.0.0.1:${port}/#/patient?as=Dave`);
    await page.getByText(/No consents yet\.|Revoke consent #/).first().waitFor({ timeout: 30_000 });
    await page.getByText(/Nobody has opened your records\.|Entries \d+/).first().waitFor({ timeout: 30_000 });
    times.push(performance.now() - start);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
} finally {
  await server.close();
}
times.sort((a, b) => a - b);
const ms = (x) => `${Math.round(x)} ms`;
console.log(`bench: patient page load (navigation to consents and disclosures read from the chain, fresh browser profile each run, the demo build: the production bundle plus the 1 kB dev wallet) on ${process.env.HEALTHCHAIN_WEB_URL}: median ${ms(times[Math.floor(times.length / 2)])}, min ${ms(times[0])}, max ${ms(times[times.length - 1])} over ${RUNS} runs (target < 2 s)`);
