import { actions } from '../store';

declare global {
  interface Window {
    packetwalkDebug?: { crash(): Promise<void>; hang(budgetMs: number): Promise<void> };
  }
}

/**
 * With `?debug` in the URL the page exposes ways to break its engine worker on purpose, so
 * the e2e suite (and a curious user) can watch the recovery: a notice, a new worker, and the
 * cluster still there. Without the flag nothing is exposed.
 */
export function installDebugHooks(search: string): void {
  if (!new URLSearchParams(search).has('debug')) return;
  window.packetwalkDebug = {
    crash: () => actions.debugCrash(),
    hang: (budgetMs) => actions.debugHang(budgetMs),
  };
}
