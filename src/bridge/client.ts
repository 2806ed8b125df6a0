import {
  PROTOCOL_VERSION,
  type Request,
  type RequestEnvelope,
  type RequestType,
  type ResponseEnvelope,
  type ResultMap,
  type SourceText,
} from '../protocol/messages';
import {
  EngineError,
  type CallOptions,
  type EngineClient,
  type EngineErrorKind,
  type EngineNotice,
} from './types';

/** The part of `Worker` the bridge uses, so tests can hand it a fake. */
export interface WorkerLike {
  postMessage(message: RequestEnvelope): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ResponseEnvelope>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (e: Event) => void): void;
}

export interface ClientOptions {
  createWorker?: () => WorkerLike;
  /** Time budget per call (ms) before the worker is declared hung. */
  budgetMs?: number;
}

export const DEFAULT_BUDGET_MS = 10_000;
const MAX_CRASH_STREAK = 3;

function spawnEngineWorker(): WorkerLike {
  return new Worker(new URL('../worker/entry.ts', import.meta.url), {
    type: 'module',
    name: 'packetwalk-engine',
  }) as WorkerLike;
}

interface Call {
  id: number;
  request: Request;
  budgetMs: number;
  resolve: (value: never) => void;
  reject: (error: EngineError) => void;
  cleanup: () => void;
}

/**
 * The page side of the worker seam. Calls run one at a time in order; each has a time
 * budget and can be aborted. A worker that throws, hangs past the budget, or is busy with a
 * cancelled call is terminated and replaced, and the replacement is given the last
 * manifests that simulated successfully so the page keeps its cluster.
 */
export function createEngineClient(options: ClientOptions = {}): EngineClient {
  const createWorker = options.createWorker ?? spawnEngineWorker;
  const defaultBudget = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const listeners = new Set<(n: EngineNotice) => void>();
  const queue: Call[] = [];
  let active: Call | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  let worker: WorkerLike | null = null;
  let lastGood: SourceText[] | null = null;
  let disposed = false;
  // Crashes since the last answer: a worker that cannot even start must not respawn forever.
  let crashStreak = 0;

  const notify = (n: EngineNotice) => listeners.forEach((l) => l(n));

  function start() {
    const w = createWorker();
    worker = w;
    w.addEventListener('message', (e) => {
      if (w === worker) onMessage(e.data);
    });
    const crash = (e: Event) => {
      if (w !== worker) return;
      e.preventDefault?.();
      const message = (e as ErrorEvent).message || 'the engine worker stopped unexpectedly';
      notify({ type: 'crashed', message });
      fail('crashed', `engine crashed: ${message}`);
    };
    w.addEventListener('error', crash);
    w.addEventListener('messageerror', crash);
  }

  function onMessage(msg: ResponseEnvelope) {
    if ('ready' in msg) {
      notify({ type: 'ready' });
      return;
    }
    crashStreak = 0;
    if (!active || msg.id !== active.id) return; // a replayed simulate, or a stale answer
    const call = active;
    finish();
    if (msg.v !== PROTOCOL_VERSION)
      call.reject(new EngineError('failed', `worker speaks protocol v${msg.v as number}`));
    else if (msg.ok) {
      if (call.request.type === 'simulate') {
        const result = msg.result as ResultMap['simulate'];
        if (result.topology) lastGood = call.request.files;
      }
      call.resolve(msg.result as never);
    } else call.reject(new EngineError('failed', msg.error));
    pump();
  }

  function finish() {
    clearTimeout(timer);
    active?.cleanup();
    active = null;
  }

  /** The worker is lost: reject the running call, start a new worker, carry on with the queue. */
  function fail(kind: EngineErrorKind, message: string) {
    const call = active;
    finish();
    call?.reject(new EngineError(kind, message));
    restart();
    pump();
  }

  function restart() {
    worker?.terminate();
    worker = null;
    if (disposed) return;
    if (++crashStreak > MAX_CRASH_STREAK) {
      const lost = queue.splice(0);
      lost.forEach((c) => {
        c.cleanup();
        c.reject(new EngineError('crashed', 'the engine worker keeps failing to start'));
      });
      crashStreak = 0;
      return;
    }
    start();
    if (lastGood) {
      // Replayed with id -1: its answer is not anybody's call.
      worker!.postMessage({
        v: PROTOCOL_VERSION,
        id: -1,
        request: { type: 'simulate', files: lastGood },
      });
    }
    notify({ type: 'restarted', replayed: lastGood !== null });
  }

  function pump() {
    if (active || disposed) return;
    const call = queue.shift();
    if (!call) return;
    if (!worker) start();
    active = call;
    timer = setTimeout(() => {
      notify({ type: 'timeout', request: call.request.type, budgetMs: call.budgetMs });
      fail('timeout', `the engine took longer than ${call.budgetMs} ms and was restarted`);
    }, call.budgetMs);
    worker!.postMessage({ v: PROTOCOL_VERSION, id: call.id, request: call.request });
  }

  function call<T extends RequestType>(
    request: Extract<Request, { type: T }>,
    opts: CallOptions = {},
  ): Promise<ResultMap[T]> {
    if (disposed) return Promise.reject(new EngineError('cancelled', 'the engine was disposed'));
    return new Promise<ResultMap[T]>((resolve, reject) => {
      const { signal } = opts;
      if (signal?.aborted) {
        reject(new EngineError('cancelled', 'cancelled'));
        return;
      }
      const entry: Call = {
        id: nextId++,
        request,
        budgetMs: opts.budgetMs ?? defaultBudget,
        resolve: resolve as (v: never) => void,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      function onAbort() {
        const queued = queue.indexOf(entry);
        if (queued >= 0) {
          queue.splice(queued, 1);
          entry.cleanup();
          reject(new EngineError('cancelled', 'cancelled'));
        } else if (active === entry) {
          // A synchronous computation cannot be interrupted from outside: replace the worker.
          fail('cancelled', 'cancelled');
        }
      }
      signal?.addEventListener('abort', onAbort);
      queue.push(entry);
      pump();
    });
  }

  return {
    call,
    onNotice(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      const pending = [...(active ? [active] : []), ...queue.splice(0)];
      finish();
      pending.forEach((c) => c.reject(new EngineError('cancelled', 'the engine was disposed')));
      worker?.terminate();
      worker = null;
    },
  };
}
