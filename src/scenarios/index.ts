import type { Preset } from './preset';
import { twoPodsOneNode } from './presets/two-pods-one-node';

export type { Preset } from './preset';
export { simulate, type Simulation } from './simulate';

/** Every preset, the default first. */
export const PRESETS: readonly Preset[] = [twoPodsOneNode];
export const DEFAULT_PRESET: Preset = twoPodsOneNode;
