import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { parseSaved, type SavedScenario } from './persist';

/** What a shared link carries: the scenario as typed, the flow, the seed and the step. */
export interface SharedView extends SavedScenario {
  step: number;
}

const PARAM = 's';
/** Links are user input: a decompressed link larger than this is refused, not parsed. */
const MAX_DECODED = 1 << 20;

export function encodeShare(view: SharedView): string {
  const { presetId, files, flowId, seed, step } = view;
  return `${PARAM}=${compressToEncodedURIComponent(JSON.stringify({ v: 1, presetId, files, flowId, seed, step }))}`;
}

/** Reads `#s=…`; anything that is not a well-formed view (truncated, tampered, too big) is null. */
export function decodeShare(hash: string): SharedView | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get(PARAM);
  if (!packed || packed.length > MAX_DECODED) return null;
  let text: string | null;
  try {
    text = decompressFromEncodedURIComponent(packed);
  } catch {
    return null;
  }
  if (!text || text.length > MAX_DECODED) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return null;
  const saved = parseSaved(raw);
  if (!saved) return null;
  const step = (raw as { step?: unknown }).step;
  return {
    ...saved,
    lastGood: null,
    step: typeof step === 'number' && Number.isInteger(step) && step >= 0 ? step : 0,
  };
}
