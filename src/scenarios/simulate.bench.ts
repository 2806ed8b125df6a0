import { bench, describe } from 'vitest';
import { trace } from '../engine';
import { DEFAULT_PRESET } from './index';
import { simulate } from './simulate';

/** N nodes, each running `perNode` replicas' worth of pods of one Deployment. */
function cluster(nodes: number, perNode: number): { name: string; text: string }[] {
  const nodeDocs = Array.from(
    { length: nodes },
    (_, i) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${i + 1}\n`,
  );
  const deploy = DEFAULT_PRESET.files[0]!.text.replace(
    'replicas: 2',
    `replicas: ${nodes * perNode}`,
  );
  return [{ name: 'big.yaml', text: [...nodeDocs, deploy].join('---\n') }];
}

const small = DEFAULT_PRESET.files;
const big = cluster(10, 30);
const smallSim = simulate(small);
const bigSim = simulate(big);
const bigFlow = bigSim.flows.find((f) => f.id.includes('tcp'))!.flow;

describe('pipeline', () => {
  bench('simulate: default scenario (1 node, 2 pods)', () => {
    simulate(small);
  });
  bench('simulate: 10 nodes × 30 pods', () => {
    simulate(big);
  });
});

describe('trace', () => {
  bench('trace pod → pod, same node (default scenario)', () => {
    trace(simulate(small).world!, smallSim.flows[0]!.flow, 1);
  });
  bench('trace pod → pod in the 10 × 30 cluster (includes building its world)', () => {
    trace(simulate(big).world!, bigFlow, 1);
  });
});
