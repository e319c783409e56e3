// The production build carries no development wallet (no dev phrase, no dev wallet module).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bundle = async (mode: string) => {
  const out = mkdtempSync(join(tmpdir(), 'healthchain-build-'));
  try {
    await build({ configFile: join(root, 'vite.config.ts'), root, mode, logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    const assets = readdirSync(join(out, 'assets'));
    return { names: assets, text: assets.filter((a) => a.endsWith('.js')).map((a) => readFileSync(join(out, 'assets', a), 'utf8')).join('\n') };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};

describe('builds', () => {
  it('production: no development wallet; demo: with it', async () => {
    const production = await bundle('production');
    expect(production.text).not.toContain('bottom drive obey');
    expect(production.text).not.toContain('healthchain-dev');
    expect(production.names.some((n) => n.startsWith('devWallet'))).toBe(false);
    const demo = await bundle('demo');
    expect(demo.text).toContain('bottom drive obey');
  }, 120_000);
});
