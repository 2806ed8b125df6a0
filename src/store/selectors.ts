import type { Diagnostic, TraceEvent } from '../protocol/messages';
import type { ScenarioState } from './scenario';

// Module-level selectors (DESIGN.md §7.8): stable identities, so subscriptions stay cheap.

export const selectTopology = (s: ScenarioState) => s.topology;
export const selectStale = (s: ScenarioState) => s.stale;
export const selectTrace = (s: ScenarioState) => s.trace;
export const selectStep = (s: ScenarioState) => s.step;
export const selectFlows = (s: ScenarioState) => s.flows;
export const selectFlowId = (s: ScenarioState) => s.flowId;
export const selectSeed = (s: ScenarioState) => s.seed;
export const selectFiles = (s: ScenarioState) => s.files;
export const selectActiveFile = (s: ScenarioState) => s.activeFile;
export const selectDiagnostics = (s: ScenarioState) => s.diagnostics;
export const selectPresets = (s: ScenarioState) => s.presets;
export const selectPresetId = (s: ScenarioState) => s.presetId;
export const selectNodes = (s: ScenarioState) => s.nodes;
export const selectStatus = (s: ScenarioState) => s.status;
export const selectNotices = (s: ScenarioState) => s.notices;
export const selectDump = (s: ScenarioState) => s.dump;
export const selectGranularity = (s: ScenarioState) => s.granularity;

export const selectStepCount = (s: ScenarioState) => s.trace?.events.length ?? 0;

/** The event the packet is at. */
export const selectCurrentEvent = (s: ScenarioState): TraceEvent | undefined =>
  s.trace?.events[s.step];

/** The active file's text. */
export const selectActiveText = (s: ScenarioState): string =>
  s.files.find((f) => f.name === s.activeFile)?.text ?? '';

const NO_DIAGNOSTICS: Diagnostic[] = [];
let lastAll: Diagnostic[] | null = null;
let lastFile = '';
let lastOut: Diagnostic[] = NO_DIAGNOSTICS;
/** Diagnostics of the active file (memoised: the editor's markers depend on identity). */
export const selectActiveDiagnostics = (s: ScenarioState): Diagnostic[] => {
  if (s.diagnostics === lastAll && s.activeFile === lastFile) return lastOut;
  lastAll = s.diagnostics;
  lastFile = s.activeFile;
  const out = s.diagnostics.filter((d) => d.file === s.activeFile);
  lastOut = out.length ? out : NO_DIAGNOSTICS;
  return lastOut;
};

export const selectErrorCount = (s: ScenarioState) =>
  s.diagnostics.filter((d) => d.severity === 'error').length;
export const selectTraffic = (s: ScenarioState) => s.traffic;
export const selectTrafficRunning = (s: ScenarioState) => s.trafficRunning;
export const selectPipeline = (s: ScenarioState) => s.pipeline;
export const selectEndpoints = (s: ScenarioState) => s.endpoints;
export const selectBgp = (s: ScenarioState) => s.bgp;
