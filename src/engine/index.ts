/**
 * The engine's only import surface (DESIGN.md §2). Every other layer imports from here.
 */
export * from './wire/ip';
export * from './wire/mac';
export type * from './wire/packet';
export * from './diagnostics';
export type * from './sim/trace-types';
export { TRACE_VERSION } from './sim/trace-types';
export type * from './sim/topology-types';
export type * from './kube/model';
export { createRng, type Rng } from './sim/rng';
