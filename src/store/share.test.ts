import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, type SharedView } from './share';

const VIEW: SharedView = {
  presetId: 'two-pods-one-node',
  files: [{ name: 'cluster.yaml', text: 'kind: Deployment\nreplicas: 3 # 中文 ✓\n' }],
  flowId: 'pod:default/a → pod:default/b tcp/80',
  seed: 4,
  step: 12,
  lastGood: null,
};

describe('shared links', () => {
  it('round-trips the scenario, the flow, the seed and the step', () => {
    expect(decodeShare(`#${encodeShare(VIEW)}`)).toEqual(VIEW);
  });

  it('refuses what is not a view: garbage, wrong shapes, other versions', () => {
    const bad = (o: unknown) => `#s=${compressToEncodedURIComponent(JSON.stringify(o))}`;
    expect(decodeShare('')).toBeNull();
    expect(decodeShare('#s=not-lz-data')).toBeNull();
    expect(decodeShare(bad({ ...VIEW, v: 2 }))).toBeNull();
    expect(decodeShare(bad({ v: 1, presetId: 'x', files: [{ name: 3, text: '' }] }))).toBeNull();
    expect(decodeShare(bad({ v: 1, presetId: 'x', files: 'x' }))).toBeNull();
    expect(decodeShare(bad({ ...VIEW, v: 1, step: -3 }))?.step).toBe(0);
  });

  it('never throws on any hash', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => decodeShare(`#s=${s}`)).not.toThrow();
      }),
    );
  });
});
