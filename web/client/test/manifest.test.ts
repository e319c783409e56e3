import { describe, expect, it } from 'vitest';
import { checkDeployment, parseManifest } from '../src/manifest';

const h = (c: string) => `0x${c.repeat(64)}`;
const manifest = parseManifest({
  network: 'local', url: 'ws://127.0.0.1:9944', chain: 'Development', genesis_hash: h('a'),
  contracts: {
    participants: { address: 'P', code_hash: h('1'), metadata: '' },
    consent: { address: 'C', code_hash: h('2'), metadata: '' },
    records: { address: 'R', code_hash: h('3'), metadata: '' },
  },
});
const chain = (genesis: string, codes: Record<string, string>) => ({ genesisHash: genesis, codeHashAt: async (a: string) => codes[a] });
const meta = (hash: string) => ({ source: { hash } });

describe('deployment manifest', () => {
  it('refuses what is not a manifest', () => {
    expect(() => parseManifest('{')).toThrow(/not JSON/);
    expect(() => parseManifest({ genesis_hash: h('a'), contracts: {} })).toThrow(/no consent contract/);
  });
  it('passes when the genesis and every code hash match', async () => {
    await expect(checkDeployment(manifest, chain(h('a'), { P: h('1'), C: h('2'), R: h('3') }), { records: meta(h('3')) })).resolves.toBeUndefined();
  });
  it('refuses another chain, a missing contract, other code, other metadata', async () => {
    await expect(checkDeployment(manifest, chain(h('b'), {}), {})).rejects.toThrow(/another chain/);
    await expect(checkDeployment(manifest, chain(h('a'), { P: h('1'), C: h('2') }), {})).rejects.toThrow(/no records contract/);
    await expect(checkDeployment(manifest, chain(h('a'), { P: h('1'), C: h('9'), R: h('3') }), {})).rejects.toThrow(/consent contract runs code/);
    await expect(checkDeployment(manifest, chain(h('a'), { P: h('1'), C: h('2'), R: h('3') }), { consent: meta(h('8')) })).rejects.toThrow(/metadata is of code/);
  });
});
