import { useStore } from 'zustand';
import { engine } from './engine';
import { browserStorage } from './persist';
import { createCompareStore, type CompareState } from './compare';
import { createScenarioStore, type ScenarioActions, type ScenarioState } from './scenario';

export type { DumpView, EngineStatus, Notice, ScenarioState } from './scenario';
export type { CompareState } from './compare';
export * from './selectors';
export { usePrefs, type Theme } from './prefs';
export { useInspector, litLines, toolFor, type InspectorTab } from './inspector';
export type { Granularity, JumpTarget } from './steps';
export { isVisible, jumpTo } from './steps';

/** The page's one scenario store, over the page's one engine worker. */
export const scenarioStore = createScenarioStore({
  engine,
  storage: browserStorage(),
  initialHash: typeof location === 'undefined' ? '' : location.hash,
});

/** The compare view's store: follows the scenario store's traces. */
export const compareStore = createCompareStore(engine, scenarioStore);

export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(compareStore, selector);
}

/** Components read the store through module-level selectors (see selectors.ts). */
export function useScenario<T>(selector: (s: ScenarioState & ScenarioActions) => T): T {
  return useStore(scenarioStore, selector);
}

/** Actions never change identity, so components can call them without subscribing. */
export const actions: ScenarioActions = scenarioStore.getState();
