export * from './api';
export { createNetfilterState, save, conntrackEnabled, type NetfilterState } from './state';
export { restore } from './restore';
export { runHook } from './evaluate';
import { conntrackText } from './conntrack';
import type { NetfilterState } from './state';

/** `conntrack -L` (the entries; the tool's summary line goes to stderr and is left out). */
export function conntrackList(state: NetfilterState): string {
  return conntrackText(state.conntrack);
}
