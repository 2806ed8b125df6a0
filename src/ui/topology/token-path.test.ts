import { describe, expect, it } from 'vitest';
import type { Focus } from './focus';
import type { Box, Layout } from './layout';
import { tokenPaths } from './token-path';

const b = (id: string, kind: Box['kind'], x: number, y: number, w: number, h: number): Box => ({
  id,
  kind,
  x,
  y,
  w,
  h,
  ...(kind === 'device' && w > 400
    ? {
        device: {
          id,
          name: 'cni0',
          kind: 'bridge',
          mac: null,
          addrs: [],
          mtu: 1500,
          up: true,
          master: null,
          peer: null,
        },
      }
    : {}),
});

// Two veths over a bridge drawn across the host, an eth0 under it, a segment below that
// is reached past a host in between.
const boxes = [
  b('veth-a', 'device', 0, 0, 100, 40),
  b('veth-b', 'device', 400, 0, 100, 40),
  b('cni0', 'device', 0, 100, 600, 40),
  b('eth0', 'device', 0, 200, 100, 40),
  b('seg', 'segment', 0, 600, 800, 50),
];
const layout: Layout = {
  boxes,
  byId: new Map(boxes.map((x) => [x.id, x])),
  wires: [
    {
      id: 'w',
      kind: 'wire',
      source: 'eth0',
      target: 'seg',
      bends: [
        { x: 50, y: 270 },
        { x: 700, y: 270 },
      ],
    },
  ],
  width: 800,
  height: 650,
};
const at = (id: string, link: string | null = null): Focus => ({ at: id, link, via: null });

describe('the token’s path', () => {
  it('lands on a bus under the device it came from and slides to the one it leaves by', () => {
    const [, onBridge, out] = tokenPaths(layout, [at('veth-a'), at('cni0'), at('veth-b')]);
    expect(onBridge).toEqual([{ x: 50, y: 120 }]);
    expect(out).toEqual([
      { x: 450, y: 120 },
      { x: 450, y: 20 },
    ]);
  });

  it('stays put on a bus for steps that happen there', () => {
    const paths = tokenPaths(layout, [at('veth-a'), at('cni0'), at('cni0')]);
    expect(paths[2]).toEqual([{ x: 50, y: 120 }]);
  });

  it('follows a routed wire down to the segment and back up', () => {
    const [, down, up] = tokenPaths(layout, [at('eth0'), at('seg', 'w'), at('eth0', 'w')]);
    expect(down).toEqual([
      { x: 50, y: 270 },
      { x: 700, y: 270 },
      { x: 700, y: 625 },
    ]);
    expect(up).toEqual([
      { x: 700, y: 625 },
      { x: 700, y: 270 },
      { x: 50, y: 270 },
      { x: 50, y: 220 },
    ]);
  });
});
