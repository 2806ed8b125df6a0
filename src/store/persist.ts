import type { SourceText } from '../protocol/messages';

/**
 * What survives a reload: the user's manifests exactly as typed (valid or not), the preset
 * they came from, and the flow being followed. Written on every edit, so a crash of the
 * worker or of the tab never loses text.
 */
export interface SavedScenario {
  presetId: string;
  files: SourceText[];
  flowId: string | null;
  seed: number;
  /** The last files that simulated without errors, so a reload can still draw the cluster. */
  lastGood: SourceText[] | null;
}

const KEY = 'packetwalk:v1:scenario';

/** The storage the page uses; tests pass an in-memory one. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isSourceText(v: unknown): v is SourceText {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SourceText).name === 'string' &&
    typeof (v as SourceText).text === 'string'
  );
}

/** Reads the saved scenario; anything malformed (an older format, a hand edit) is ignored. */
export function loadScenario(storage: KeyValueStore | undefined): SavedScenario | null {
  if (!storage) return null;
  try {
    return parseSaved(JSON.parse(storage.getItem(KEY) ?? 'null'));
  } catch {
    return null;
  }
}

/** Checks untrusted JSON (storage, a shared link) into a SavedScenario, or null. */
export function parseSaved(raw: unknown): SavedScenario | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.presetId !== 'string' || !Array.isArray(r.files) || !r.files.every(isSourceText))
    return null;
  return {
    presetId: r.presetId,
    files: r.files.map((f) => ({ name: f.name, text: f.text })),
    flowId: typeof r.flowId === 'string' ? r.flowId : null,
    seed: typeof r.seed === 'number' && Number.isInteger(r.seed) ? r.seed : 1,
    lastGood:
      Array.isArray(r.lastGood) && r.lastGood.every(isSourceText)
        ? r.lastGood.map((f) => ({ name: f.name, text: f.text }))
        : null,
  };
}

export function saveScenario(storage: KeyValueStore | undefined, s: SavedScenario): void {
  try {
    storage?.setItem(KEY, JSON.stringify(s));
  } catch {
    // Quota exceeded or storage disabled (private mode): the session still works.
  }
}

export function clearScenario(storage: KeyValueStore | undefined): void {
  try {
    storage?.removeItem(KEY);
  } catch {
    // As above.
  }
}

/** localStorage when the page has one (not in node tests, not when disabled). */
export function browserStorage(): KeyValueStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
