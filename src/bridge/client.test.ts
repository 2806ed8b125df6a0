import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PROTOCOL_VERSION,
  type Request,
  type RequestEnvelope,
  type ResponseEnvelope,
} from '../protocol/messages';
import { createEngineClient, type WorkerLike } from './client';
import { EngineError, type EngineNotice } from './types';

type Behaviour = (request: Request) => 'crash' | 'hang' | { ok: unknown } | { error: string };

/** An in-memory worker: answers each request on the next tick as `behaviour` says. */
class FakeWorker implements WorkerLike {
  static all: FakeWorker[] = [];
  received: RequestEnvelope[] = [];
  terminated = false;
  private onMessage: ((e: MessageEvent<ResponseEnvelope>) => void)[] = [];
  private onError: ((e: Event) => void)[] = [];
  constructor(private behaviour: Behaviour) {
    FakeWorker.all.push(this);
  }
  addEventListener(
    type: string,
    listener: ((e: MessageEvent<ResponseEnvelope>) => void) | ((e: Event) => void),
  ) {
    if (type === 'message')
      this.onMessage.push(listener as (e: MessageEvent<ResponseEnvelope>) => void);
    else this.onError.push(listener as (e: Event) => void);
  }
  postMessage(msg: RequestEnvelope) {
    this.received.push(msg);
    const answer = this.behaviour(msg.request);
    setTimeout(() => {
      if (this.terminated || answer === 'hang') return;
      if (answer === 'crash') {
        this.onError.forEach((l) => l({ message: 'boom' } as unknown as Event));
        return;
      }
      const data: ResponseEnvelope =
        'ok' in answer
          ? { v: PROTOCOL_VERSION, id: msg.id, ok: true, result: answer.ok as never }
          : { v: PROTOCOL_VERSION, id: msg.id, ok: false, error: answer.error };
      this.onMessage.forEach((l) => l({ data } as MessageEvent<ResponseEnvelope>));
    }, 1);
  }
  terminate() {
    this.terminated = true;
  }
}

const GOOD = { diagnostics: [], topology: { nodes: [], links: [] }, flows: [], nodes: [] };
const simulate = (text: string) => ({
  type: 'simulate' as const,
  files: [{ name: 'a.yaml', text }],
});

function setup(behaviour: Behaviour, budgetMs = 1000) {
  FakeWorker.all = [];
  const notices: EngineNotice[] = [];
  const client = createEngineClient({ createWorker: () => new FakeWorker(behaviour), budgetMs });
  client.onNotice((n) => notices.push(n));
  return { client, notices };
}

afterEach(() => vi.useRealTimers());

describe('engine client', () => {
  it('answers calls in order through the versioned protocol', async () => {
    const { client } = setup((r) => ({ ok: r.type === 'simulate' ? GOOD : [] }));
    const [a, b] = await Promise.all([
      client.call(simulate('x')),
      client.call({ type: 'presets' }),
    ]);
    expect(a).toEqual(GOOD);
    expect(b).toEqual([]);
    expect(FakeWorker.all[0]!.received.map((m) => [m.v, m.request.type])).toEqual([
      [PROTOCOL_VERSION, 'simulate'],
      [PROTOCOL_VERSION, 'presets'],
    ]);
  });

  it('rejects with the worker error message when a request fails', async () => {
    const { client } = setup(() => ({ error: 'no node named x' }));
    await expect(client.call({ type: 'dump', node: 'x', what: 'routes' })).rejects.toMatchObject({
      kind: 'failed',
      message: 'no node named x',
    });
  });

  it('cancels a queued call without touching the worker', async () => {
    const { client } = setup(() => ({ ok: GOOD }));
    const abort = new AbortController();
    const first = client.call(simulate('1'));
    const second = client.call(simulate('2'), { signal: abort.signal });
    abort.abort();
    await expect(second).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(first).resolves.toEqual(GOOD);
    expect(FakeWorker.all).toHaveLength(1);
    expect(FakeWorker.all[0]!.received).toHaveLength(1);
  });

  it('cancels a running call by replacing the worker, replaying the last good manifests', async () => {
    const { client, notices } = setup((r) =>
      r.type === 'simulate' && r.files[0]!.text === 'slow' ? 'hang' : { ok: GOOD },
    );
    await client.call(simulate('good'));
    const abort = new AbortController();
    const slow = client.call(simulate('slow'), { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await expect(slow).rejects.toBeInstanceOf(EngineError);
    await expect(slow).rejects.toMatchObject({ kind: 'cancelled' });
    expect(FakeWorker.all[0]!.terminated).toBe(true);
    expect(FakeWorker.all[1]!.received[0]!.request).toEqual(simulate('good'));
    expect(notices).toContainEqual({ type: 'restarted', replayed: true });
    await expect(client.call({ type: 'presets' })).resolves.toEqual(GOOD);
  });

  it('recovers from a crash: reports it, restarts, and later calls succeed', async () => {
    const { client, notices } = setup((r) => (r.type === 'debug-crash' ? 'crash' : { ok: GOOD }));
    await client.call(simulate('good'));
    await expect(client.call({ type: 'debug-crash' })).rejects.toMatchObject({ kind: 'crashed' });
    expect(notices).toContainEqual({ type: 'crashed', message: 'boom' });
    expect(FakeWorker.all).toHaveLength(2);
    expect(FakeWorker.all[1]!.received[0]!.request).toEqual(simulate('good'));
    await expect(client.call(simulate('next'))).resolves.toEqual(GOOD);
  });

  it('terminates a worker that exceeds the time budget', async () => {
    vi.useFakeTimers();
    const { client, notices } = setup(
      (r) => (r.type === 'debug-hang' ? 'hang' : { ok: GOOD }),
      500,
    );
    const hung = client.call({ type: 'debug-hang' });
    const after = client.call({ type: 'presets' });
    const settled = expect(hung).rejects.toMatchObject({ kind: 'timeout' });
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeWorker.all[0]!.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    await settled;
    expect(FakeWorker.all[0]!.terminated).toBe(true);
    expect(notices).toContainEqual({ type: 'timeout', request: 'debug-hang', budgetMs: 500 });
    // Nothing simulated yet: nothing to replay, but the queue goes on in the new worker.
    expect(notices).toContainEqual({ type: 'restarted', replayed: false });
    await vi.advanceTimersByTimeAsync(5);
    await expect(after).resolves.toEqual(GOOD);
  });

  it('does not replay manifests whose simulation had errors', async () => {
    const bad = { ...GOOD, topology: null };
    const { client } = setup((r) =>
      r.type === 'debug-crash'
        ? 'crash'
        : { ok: r.type === 'simulate' && r.files[0]!.text === 'bad' ? bad : GOOD },
    );
    await client.call(simulate('good'));
    await client.call(simulate('bad'));
    await expect(client.call({ type: 'debug-crash' })).rejects.toBeInstanceOf(EngineError);
    expect(FakeWorker.all[1]!.received[0]!.request).toEqual(simulate('good'));
  });

  it('stops respawning a worker that keeps crashing', async () => {
    const { client } = setup(() => 'crash');
    for (let i = 0; i < 4; i++)
      await expect(client.call({ type: 'presets' })).rejects.toMatchObject({ kind: 'crashed' });
    expect(FakeWorker.all.length).toBeLessThanOrEqual(4);
  });

  it('rejects everything pending on dispose', async () => {
    const { client } = setup(() => 'hang');
    const a = client.call({ type: 'presets' });
    const b = client.call({ type: 'presets' });
    client.dispose();
    await expect(a).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(b).rejects.toMatchObject({ kind: 'cancelled' });
    expect(FakeWorker.all[0]!.terminated).toBe(true);
  });
});
