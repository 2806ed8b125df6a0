import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { Diagnostic } from '../../protocol/messages';
import { monaco } from './monaco-setup';

type CodeEditor = Parameters<OnMount>[0];

export interface MonacoYamlEditorProps {
  path: string;
  value: string;
  diagnostics: Diagnostic[];
  theme: 'light' | 'dark';
  onChange(text: string): void;
  /** The line to reveal (a diagnostic clicked in the list); changes of `nonce` re-reveal. */
  reveal: { line: number; col: number; nonce: number } | null;
  ariaLabel: string;
}

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

/** The YAML editor (Monaco + monaco-yaml); the engine's diagnostics become its markers. */
export default function MonacoYamlEditor(props: MonacoYamlEditorProps) {
  const { path, value, diagnostics, theme, onChange, reveal, ariaLabel } = props;
  const editorRef = useRef<CodeEditor | null>(null);

  useEffect(() => {
    const model = monaco.editor.getModel(monaco.Uri.parse(`file:///${path}`));
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'packetwalk',
      diagnostics.map((d) => {
        const line = Math.min(Math.max(d.line, 1), model.getLineCount());
        return {
          severity: SEVERITY[d.severity] ?? monaco.MarkerSeverity.Info,
          message: `${d.message} [${d.code}]`,
          startLineNumber: line,
          startColumn: Math.max(d.col, 1),
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
        };
      }),
    );
  }, [path, diagnostics, value]);

  useEffect(() => {
    const ed = editorRef.current;
    if (!ed || !reveal) return;
    ed.revealLineInCenter(reveal.line);
    ed.setPosition({ lineNumber: reveal.line, column: reveal.col });
    ed.focus();
  }, [reveal]);

  return (
    <Editor
      path={path}
      language="yaml"
      value={value}
      theme={theme === 'dark' ? 'vs-dark' : 'vs'}
      onChange={(text) => onChange(text ?? '')}
      onMount={(ed) => {
        editorRef.current = ed;
      }}
      options={{
        minimap: { enabled: false },
        fontSize: 13,
        tabSize: 2,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        ariaLabel,
        renderWhitespace: 'boundary',
      }}
    />
  );
}
