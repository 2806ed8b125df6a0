import type { FlowSpec } from '../engine';
import type { ManifestFile } from '../manifests';

/** A ready-made scenario: manifests as the user would write them, and the flow to show first. */
export interface Preset {
  id: string;
  /** i18n key of the title (the page translates it). */
  titleKey: string;
  files: ManifestFile[];
  /** `first`: the first suggested flow (pods on the same node come first). */
  defaultFlow: { kind: 'first' } | { kind: 'flow'; flow: FlowSpec };
}
