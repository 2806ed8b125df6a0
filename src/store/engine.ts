import { createEngineClient } from '../bridge/client';
import type { EngineClient } from '../bridge/types';

export { EngineError, type EngineNotice } from '../bridge/types';

// One engine per page. Created on first use so that importing the store (tests, SSR-free
// tooling) does not start a worker.
let client: EngineClient | null = null;

export function engine(): EngineClient {
  client ??= createEngineClient();
  return client;
}

/** Tests hand the store a client over a fake worker. */
export function useEngineClient(next: EngineClient): void {
  client?.dispose();
  client = next;
}
