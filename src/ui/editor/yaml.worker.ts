// monaco-yaml's language service worker, bundled locally.
import 'monaco-yaml/yaml.worker.js';
