import { useStore } from 'zustand';
import { engine } from './engine';
import { browserStorage } from './persist';
import { createScenarioStore, type ScenarioActions, type ScenarioState } from './scenario';

export type { DumpView, EngineStatus, Notice, ScenarioState } from './scenario';
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

/** Components read the store through module-level selectors (see selectors.ts). */
export function useScenario<T>(selector: (s: ScenarioState & ScenarioActions) => T): T {
  return useStore(scenarioStore, selector);
}

/** Actions never change identity, so components can call them without subscribing. */
export const actions: ScenarioActions = scenarioStore.getState();
