// Monaco, from the local package only (never a CDN): this module is the lazy editor chunk.
// The package's main entry, not editor.api: it adapts createWebWorker({moduleId, label}),
// which monaco-yaml's worker manager calls, to MonacoEnvironment.getWorker below.
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { loader } from '@monaco-editor/react';
import { configureMonacoYaml } from 'monaco-yaml';
import YamlWorker from './yaml.worker.ts?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_id, label) {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

// Without this, @monaco-editor/react would fetch Monaco from a CDN.
loader.config({ monaco });

configureMonacoYaml(monaco, {
  enableSchemaRequest: false,
  validate: true,
  completion: true,
  hover: true,
  schemas: [],
});

export { monaco };
