import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import layers from './eslint-layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
});
const src = (file: string) => path.resolve('src', file);

tester.run('packetwalk/layers', layers.rules.layers, {
  valid: [
    { filename: src('engine/datapath/xmit.ts'), code: "import { bridgeInput } from './bridge';" },
    { filename: src('engine/sim/trace.ts'), code: "import { x } from '../datapath/bridge';" },
    { filename: src('manifests/parse.ts'), code: "import type { Diagnostic } from '../engine';" },
    { filename: src('manifests/parse.ts'), code: "import { parseAllDocuments } from 'yaml';" },
    { filename: src('ui/App.tsx'), code: "import type { Trace } from '../protocol/messages';" },
    { filename: src('ui/App.tsx'), code: "import { useStore } from '../store/app';" },
    { filename: src('bridge/client.ts'), code: "import type { Api } from '../worker/entry';" },
    { filename: src('engine/sim/trace.test.ts'), code: "import { it } from 'vitest';" },
  ],
  invalid: [
    { filename: src('engine/sim/trace.ts'), code: "import { a } from '../../ui/App';", errors: 1 },
    { filename: src('engine/sim/trace.ts'), code: "import YAML from 'yaml';", errors: 1 },
    { filename: src('ui/App.tsx'), code: "import { trace } from '../engine';", errors: 1 },
    { filename: src('ui/App.tsx'), code: "import { x } from '../worker/entry';", errors: 1 },
    { filename: src('manifests/parse.ts'), code: "import { trace } from '../engine';", errors: 1 },
    { filename: src('protocol/messages.ts'), code: "export * from '../engine';", errors: 1 },
    { filename: src('store/app.ts'), code: "import { trace } from '../engine/index';", errors: 1 },
    { filename: src('ui/App.tsx'), code: "const m = import('../engine');", errors: 1 },
  ],
});
