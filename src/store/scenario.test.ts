import { describe, expect, it } from 'vitest';
import type { EngineClient, EngineNotice } from '../bridge/types';
import type {
  FlowChoice,
  Request,
  ResultMap,
  ScenarioPreset,
  SimulateResult,
  Trace,
} from '../protocol/messages';
import type { KeyValueStore } from './persist';
import { loadScenario } from './persist';
import { createScenarioStore } from './scenario';

const FLOW: FlowChoice = {
  id: 'pod:default/a → pod:default/b tcp/80',
  label: 'pod:default/a → pod:default/b tcp/80',
  flow: {
    from: { kind: 'pod', namespace: 'default', name: 'a' },
    to: { kind: 'pod', namespace: 'default', name: 'b' },
    proto: 'tcp',
    port: 80,
  },
};
const PRESET: ScenarioPreset = {
  id: 'p',
  titleKey: 'scenario.p',
  files: [{ name: 'cluster.yaml', text: 'kind: Deployment\n' }],
  defaultFlow: FLOW.id,
};
const GOOD: SimulateResult = {
  diagnostics: [],
  topology: { nodes: [], links: [], segments: [] },
  flows: [FLOW],
  nodes: ['node-1'],
  endpoints: { sources: ['pod:default/a'], targets: ['pod:default/b'] },
  bgp: null,
};
const BAD: SimulateResult = {
  diagnostics: [
    { file: 'cluster.yaml', line: 2, col: 3, severity: 'error', code: 'PW1001', message: 'bad' },
  ],
  topology: null,
  flows: [],
  nodes: [],
  endpoints: { sources: [], targets: [] },
  bgp: null,
};
const TRACE = (seed: number): Trace => ({
  version: 1,
  flow: FLOW.flow,
  seed,
  outcome: 'delivered',
  events: [0, 1, 2].map((i) => ({
    i,
    kind: 'hook',
    hook: 'OUTPUT',
    family: 'ipv4',
    dir: 'request',
    node: 'node-1',
    ns: 'default/a',
  })),
  delivered: null,
});

/** An engine that answers from canned results: the store's logic, without a worker. */
function fakeEngine(answer: (r: Request) => unknown) {
  const calls: Request[] = [];
  const client: EngineClient = {
    call<T extends keyof ResultMap>(request: Extract<Request, { type: T }>) {
      calls.push(request);
      return Promise.resolve(answer(request) as ResultMap[T]);
    },
    onNotice: (_l: (n: EngineNotice) => void) => () => undefined,
    dispose: () => undefined,
  };
  return { client, calls };
}

function memoryStorage(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

function answers(simulate: (files: { text: string }[]) => SimulateResult) {
  return (r: Request) => {
    if (r.type === 'presets') return [PRESET];
    if (r.type === 'simulate') return simulate(r.files);
    if (r.type === 'trace') return TRACE(r.seed);
    if (r.type === 'dump') return { node: r.node, what: r.what, text: 'x' };
    throw new Error(r.type);
  };
}

describe('scenario store', () => {
  it('starts on the default preset, simulates it and traces its default flow', async () => {
    const { client, calls } = fakeEngine(answers(() => GOOD));
    const store = createScenarioStore({ engine: () => client, storage: memoryStorage() });
    await store.getState().init();
    const s = store.getState();
    expect(s.files).toEqual(PRESET.files);
    expect(s.flowId).toBe(FLOW.id);
    expect(s.trace?.events).toHaveLength(3);
    expect(calls.map((c) => c.type)).toEqual(['presets', 'simulate', 'trace']);
  });

  it('a default flow the engine does not suggest is parsed from its text and traced', async () => {
    const outside: FlowChoice = {
      id: 'ext:laptop → svc:default/web:80 tcp',
      label: 'ext:laptop → svc:default/web:80 tcp',
      flow: {
        from: { kind: 'ext', name: 'laptop' },
        to: { kind: 'svc', namespace: 'default', name: 'web', port: 80 },
        proto: 'tcp',
        port: 80,
      },
    };
    const base = answers(() => GOOD);
    const { client, calls } = fakeEngine((r) => {
      if (r.type === 'presets') return [{ ...PRESET, defaultFlow: outside.id }];
      if (r.type === 'parse-flow') return outside;
      return base(r);
    });
    const store = createScenarioStore({ engine: () => client, storage: memoryStorage() });
    await store.getState().init();
    expect(calls.find((c) => c.type === 'parse-flow')).toEqual({
      type: 'parse-flow',
      from: 'ext:laptop',
      to: 'svc:default/web:80',
      proto: 'tcp',
    });
    expect(store.getState().flowId).toBe(outside.id);
    expect(store.getState().flows[0]).toEqual(outside);
    expect(calls.at(-1)).toMatchObject({ type: 'trace', flow: outside.flow });
  });

  it('keeps the last good topology and the typed text when the text has errors', async () => {
    const storage = memoryStorage();
    const { client } = fakeEngine(answers((f) => (f[0]!.text.includes('@') ? BAD : GOOD)));
    const store = createScenarioStore({ engine: () => client, storage });
    await store.getState().init();
    store.getState().editFile('cluster.yaml', 'kind: @\n');
    await store.getState().simulateNow();
    const s = store.getState();
    expect(s.topology).toEqual(GOOD.topology);
    expect(s.stale).toBe(true);
    expect(s.diagnostics[0]?.line).toBe(2);
    expect(loadScenario(storage)?.files[0]?.text).toBe('kind: @\n');
    expect(loadScenario(storage)?.lastGood?.[0]?.text).toBe('kind: Deployment\n');
  });

  it('after a reload with broken text, draws the last good cluster and shows the errors', async () => {
    const storage = memoryStorage();
    const first = fakeEngine(answers((f) => (f[0]!.text.includes('@') ? BAD : GOOD)));
    const before = createScenarioStore({ engine: () => first.client, storage });
    await before.getState().init();
    before.getState().editFile('cluster.yaml', 'kind: @\n');
    await before.getState().simulateNow();

    const second = fakeEngine(answers((f) => (f[0]!.text.includes('@') ? BAD : GOOD)));
    const after = createScenarioStore({ engine: () => second.client, storage });
    await after.getState().init();
    const s = after.getState();
    expect(s.files[0]?.text).toBe('kind: @\n');
    expect(s.topology).toEqual(GOOD.topology);
    expect(s.stale).toBe(true);
    expect(s.diagnostics).toEqual(BAD.diagnostics);
  });

  it('steps stay inside the trace', async () => {
    const { client } = fakeEngine(answers(() => GOOD));
    const store = createScenarioStore({ engine: () => client, storage: undefined });
    await store.getState().init();
    const st = store.getState();
    st.back();
    expect(store.getState().step).toBe(0);
    st.next();
    st.next();
    st.next();
    expect(store.getState().step).toBe(2);
    st.first();
    expect(store.getState().step).toBe(0);
    st.last();
    expect(store.getState().step).toBe(2);
  });

  it('a new seed re-traces and is remembered', async () => {
    const storage = memoryStorage();
    const { client } = fakeEngine(answers(() => GOOD));
    const store = createScenarioStore({ engine: () => client, storage });
    await store.getState().init();
    await store.getState().setSeed(7);
    expect(store.getState().trace?.seed).toBe(7);
    expect(loadScenario(storage)?.seed).toBe(7);
  });

  it('ignores a saved scenario it cannot read', async () => {
    const storage = memoryStorage();
    storage.setItem('packetwalk:v1:scenario', '{"presetId": 3');
    const { client } = fakeEngine(answers(() => GOOD));
    const store = createScenarioStore({ engine: () => client, storage });
    await store.getState().init();
    expect(store.getState().files).toEqual(PRESET.files);
  });
});

describe('shared links', () => {
  it('a link opens exactly its scenario, flow, seed and step, and wins over the saved one', async () => {
    const storage = memoryStorage();
    const { client } = fakeEngine(answers(() => GOOD));
    const a = createScenarioStore({ engine: () => client, storage });
    await a.getState().init();
    a.getState().editFile('cluster.yaml', 'kind: Deployment # shared\n');
    await a.getState().setSeed(3);
    a.getState().setStep(2);
    const hash = `#${a.getState().shareHash()}`;

    const other = memoryStorage();
    other.setItem(
      'packetwalk:v1:scenario',
      JSON.stringify({ presetId: 'p', files: [{ name: 'cluster.yaml', text: 'old' }], seed: 1 }),
    );
    const b = createScenarioStore({ engine: () => client, storage: other, initialHash: hash });
    await b.getState().init();
    const s = b.getState();
    expect(s.files[0]?.text).toBe('kind: Deployment # shared\n');
    expect(s.seed).toBe(3);
    expect(s.step).toBe(2);
    expect(s.flowId).toBe(FLOW.id);
  });

  it('a broken link is ignored: the saved scenario opens', async () => {
    const { client } = fakeEngine(answers(() => GOOD));
    const b = createScenarioStore({
      engine: () => client,
      storage: memoryStorage(),
      initialHash: '#s=garbage',
    });
    await b.getState().init();
    expect(b.getState().files).toEqual(PRESET.files);
  });
});

describe('reloading a page whose address carries its own view', () => {
  it('still draws the last good cluster when the text has errors', async () => {
    const storage = memoryStorage();
    const { client } = fakeEngine(answers((f) => (f[0]!.text.includes('@') ? BAD : GOOD)));
    const a = createScenarioStore({ engine: () => client, storage });
    await a.getState().init();
    a.getState().editFile('cluster.yaml', 'kind: @\n');
    await a.getState().simulateNow();
    const hash = `#${a.getState().shareHash()}`;
    const b = createScenarioStore({ engine: () => client, storage, initialHash: hash });
    await b.getState().init();
    expect(b.getState().files[0]?.text).toBe('kind: @\n');
    expect(b.getState().topology).toEqual(GOOD.topology);
    expect(b.getState().stale).toBe(true);
  });
});
