// Writes every preset scenario to examples/<id>.yaml, so the CLI and the README have real
// files to point at. `npm run examples` after changing a preset; a unit test checks they agree.
import { writeFileSync } from 'node:fs';
import { PRESETS } from '../src/scenarios';
import { exampleText } from '../src/scenarios/example-text';

for (const p of PRESETS) {
  writeFileSync(`examples/${p.id}.yaml`, exampleText(p));
  console.log(`examples/${p.id}.yaml`);
}
