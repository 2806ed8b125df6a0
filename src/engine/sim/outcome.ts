import type { Fate } from '../datapath/context';
import type { Outcome } from './trace-types';

/** A flow that names something the world does not have. */
export class FlowError extends Error {}

/** What a walk's end means for the trace's `outcome`. */
export function outcomeOf(f: Fate): Outcome {
  if (f.kind === 'answered')
    return f.reason === 'refused'
      ? 'refused'
      : f.reason === 'ttl-exceeded'
        ? 'ttl-exceeded'
        : f.reason === 'no-route'
          ? 'no-route'
          : f.reason === 'neigh-failed'
            ? 'unreachable'
            : 'rejected';
  return f.kind;
}
