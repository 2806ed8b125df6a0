import type { Hook, TraceEvent } from '../../protocol/messages';

/**
 * Where the packet is in a namespace's netfilter at step `step`: the hooks it has already
 * passed during its current stay in that namespace, the hook and table it is in now, and the
 * chains it has walked at this hook (jumps followed). Read off the trace's own events.
 */
export interface Passage {
  ns: string;
  passed: Hook[];
  hook: Hook | null;
  table: string | null;
  chains: string[];
}

export function passageAt(events: readonly TraceEvent[], step: number): Passage | null {
  const here = events[step];
  if (!here) return null;
  let start = step;
  while (start > 0 && events[start - 1]!.ns === here.ns && events[start - 1]!.dir === here.dir)
    start--;
  const passed: Hook[] = [];
  let hook: Hook | null = null;
  let table: string | null = null;
  let chains: string[] = [];
  for (let i = start; i <= step; i++) {
    const e = events[i]!;
    if (e.kind === 'hook') {
      if (hook) passed.push(hook);
      hook = e.hook;
      table = null;
      chains = [];
    } else if (e.kind === 'netfilter') {
      if (e.table !== table) chains = [];
      table = e.table;
      if (chains.at(-1) !== e.chain) chains.push(e.chain);
    } else if (e.kind === 'route' || e.kind === 'transmit' || e.kind === 'deliver') {
      // Past the hook: whatever comes next is a new hook.
      if (hook) passed.push(hook);
      hook = null;
      table = null;
      chains = [];
    }
  }
  return { ns: here.ns, passed, hook, table, chains };
}
