import type { Preset } from './preset';

/** A preset as one multi-document YAML file (what examples/<id>.yaml holds). */
export function exampleText(p: Preset): string {
  return p.files.map((f) => (f.text.endsWith('\n') ? f.text : `${f.text}\n`)).join('---\n');
}
