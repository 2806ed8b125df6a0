import { describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineClient, EngineNotice } from '../bridge/types';
import type { CompareResult, Request, ResultMap, Trace } from '../protocol/messages';
import { createCompareStore } from './compare';
import type { ScenarioActions, ScenarioState } from './scenario';

const flow = {
  from: { kind: 'pod' as const, namespace: 'default', name: 'a' },
  to: { kind: 'pod' as const, namespace: 'default', name: 'b' },
  proto: 'tcp' as const,
};
const RESULT: CompareResult = { error: 'canned' };

function setup() {
  const calls: Request[] = [];
  const client: EngineClient = {
    call<T extends keyof ResultMap>(request: Extract<Request, { type: T }>) {
      calls.push(request);
      const answer =
        request.type === 'variants'
          ? [
              { id: 'proxy:iptables', axis: 'proxy', current: true },
              { id: 'proxy:ipvs', axis: 'proxy', current: false },
            ]
          : RESULT;
      return Promise.resolve(answer as ResultMap[T]);
    },
    onNotice: (_l: (n: EngineNotice) => void) => () => undefined,
    dispose: () => undefined,
  };
  const scenario = createStore(() => ({
    files: [{ name: 'a.yaml', text: 'x' }],
    flows: [{ id: 'f', label: 'f', flow }],
    flowId: 'f',
    seed: 3,
    trace: null as Trace | null,
  })) as unknown as StoreApi<ScenarioState & ScenarioActions>;
  return { calls, scenario, compare: createCompareStore(() => client, scenario) };
}

describe('compare store', () => {
  it('lists the data planes when opened and compares the current flow once one is picked', async () => {
    const { calls, compare } = setup();
    await compare.getState().open();
    expect(compare.getState().variants.map((v) => v.id)).toEqual(['proxy:iptables', 'proxy:ipvs']);
    expect(calls.map((c) => c.type)).toEqual(['variants']);
    await compare.getState().choose('proxy:ipvs');
    expect(calls.at(-1)).toEqual({
      type: 'compare',
      files: [{ name: 'a.yaml', text: 'x' }],
      flow,
      seed: 3,
      variant: 'proxy:ipvs',
    });
    expect(compare.getState().result).toEqual(RESULT);
  });

  it('follows the scenario: a new trace re-runs the comparison, but only once the panel was opened', async () => {
    const { calls, scenario, compare } = setup();
    scenario.setState({ trace: { events: [] } as unknown as Trace });
    await Promise.resolve();
    expect(calls).toEqual([]);
    await compare.getState().choose('proxy:ipvs');
    await compare.getState().open();
    const before = calls.length;
    scenario.setState({ seed: 4, trace: { events: [] } as unknown as Trace });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.length).toBeGreaterThan(before);
    expect(calls.at(-1)).toMatchObject({ type: 'compare', seed: 4 });
  });
});
