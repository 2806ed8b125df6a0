import type { ResultMap, Request, RequestType } from '../protocol/messages';

/** Why a call did not return a result. */
export type EngineErrorKind = 'cancelled' | 'crashed' | 'timeout' | 'failed';

/** The error every rejected call rejects with. */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Lifecycle notices the page shows to the user (a toast, a status line). */
export type EngineNotice =
  | { type: 'ready' }
  | { type: 'crashed'; message: string }
  | { type: 'timeout'; request: RequestType; budgetMs: number }
  | { type: 'restarted'; replayed: boolean };

export interface CallOptions {
  /** Abort the call: it rejects with EngineError('cancelled'); a running call restarts the worker. */
  signal?: AbortSignal;
  /** Override the time budget for this call (ms). */
  budgetMs?: number;
}

/** The page's only handle on the engine (components never touch `Worker`). */
export interface EngineClient {
  call<T extends RequestType>(
    request: Extract<Request, { type: T }>,
    options?: CallOptions,
  ): Promise<ResultMap[T]>;
  /** Subscribe to lifecycle notices; returns the unsubscribe function. */
  onNotice(listener: (notice: EngineNotice) => void): () => void;
  dispose(): void;
}
