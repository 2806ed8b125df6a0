import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { ElkLike } from './layout';

/**
 * ELK in a worker of its own, so laying out a large cluster never blocks the page; the
 * layout's graph building and reading stay on the main thread (they are cheap).
 */
let elk: ElkLike | null = null;

export function layoutEngine(): ElkLike {
  elk ??= new ELK({
    workerFactory: () => new Worker(elkWorkerUrl, { name: 'packetwalk-layout' }),
  });
  return elk;
}
