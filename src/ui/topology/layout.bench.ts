import ELK from 'elkjs/lib/elk.bundled.js';
import { bench, describe } from 'vitest';
import type { TopologyView } from '../../protocol/messages';
import { layoutTopology } from './layout';
import { node } from './layout.fixtures';

const elk = new ELK();

function cluster(nodes: number, pods: number, distinct: boolean): TopologyView {
  // Distinct shapes: every node a different pod count, so no host layout can be reused.
  const parts = Array.from({ length: nodes }, (_, i) =>
    node(`node-${i + 1}`, distinct ? pods - i : pods),
  );
  return {
    nodes: parts.map((p) => p.host),
    links: parts.flatMap((p) => p.links),
    segments: [{ id: 'segment:lan', name: 'lan', cidr: '192.168.56.0/24' }],
  };
}

const same = cluster(10, 30, false);
const distinct = cluster(10, 30, true);
const warm = new Map();

describe('ELK layout (same thread, warm JIT)', () => {
  bench('10 nodes × 30 pods, all nodes of one shape (one host layout)', async () => {
    await layoutTopology(same, elk);
  });
  bench('10 nodes × 30 pods, ten different shapes (ten host layouts)', async () => {
    await layoutTopology(distinct, elk);
  });
  bench('10 nodes × 30 pods again, host layouts cached (an edit elsewhere)', async () => {
    await layoutTopology(same, elk, warm);
  });
});
