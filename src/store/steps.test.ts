import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../protocol/messages';
import { isVisible, jumpTo, stepBy } from './steps';

const ev = (i: number, kind: TraceEvent['kind'], node = 'node-1') =>
  ({ i, kind, node, ns: node, dir: 'request' }) as TraceEvent;

const TRACE = [
  ev(0, 'send'),
  ev(1, 'hook'),
  ev(2, 'netfilter'),
  ev(3, 'nat'),
  ev(4, 'transmit'),
  ev(5, 'hook', 'node-2'),
  ev(6, 'drop', 'node-2'),
];

describe('stepping', () => {
  it('per rule visits every step; per hop skips hooks and rules', () => {
    expect(stepBy(TRACE, 0, 1, 'rule')).toBe(1);
    expect(stepBy(TRACE, 0, 1, 'hop')).toBe(3);
    expect(stepBy(TRACE, 4, 1, 'hop')).toBe(6);
    expect(stepBy(TRACE, 6, -1, 'hop')).toBe(4);
    expect(stepBy(TRACE, 6, 1, 'hop')).toBe(6);
    expect(stepBy(TRACE, 0, -1, 'rule')).toBe(0);
  });

  it('jumps to the next NAT, the next node and the next drop', () => {
    expect(jumpTo(TRACE, 0, 'nat')).toBe(3);
    expect(jumpTo(TRACE, 3, 'nat')).toBeNull();
    expect(jumpTo(TRACE, 0, 'node')).toBe(5);
    expect(jumpTo(TRACE, 0, 'drop')).toBe(6);
  });

  it('forward then back returns to the same visible step, at any granularity', () => {
    const kinds = fc.constantFrom<TraceEvent['kind']>(
      'send',
      'hook',
      'netfilter',
      'transmit',
      'nat',
    );
    fc.assert(
      fc.property(fc.array(kinds, { minLength: 1, maxLength: 30 }), fc.nat(), (ks, at) => {
        const events = ks.map((k, i) => ev(i, k));
        for (const g of ['rule', 'hop'] as const) {
          const start = at % events.length;
          const fwd = stepBy(events, start, 1, g);
          if (fwd === start) continue;
          expect(isVisible(events[fwd]!, g)).toBe(true);
          const back = stepBy(events, fwd, -1, g);
          expect(back === start || !isVisible(events[start]!, g)).toBe(true);
        }
      }),
    );
  });
});
