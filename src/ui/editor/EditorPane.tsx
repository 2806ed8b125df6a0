import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  actions,
  selectActiveDiagnostics,
  selectActiveFile,
  selectActiveText,
  selectDiagnostics,
  selectFiles,
  usePrefs,
  useScenario,
} from '../../store';
import { DiagnosticsList } from './DiagnosticsList';

// Monaco is its own chunk, fetched only when the editor mounts.
const MonacoYamlEditor = lazy(() => import('./MonacoYamlEditor'));

/** Re-simulate this long after the last keystroke. */
const SETTLE_MS = 300;

export function EditorPane() {
  const { t } = useTranslation();
  const files = useScenario(selectFiles);
  const active = useScenario(selectActiveFile);
  const text = useScenario(selectActiveText);
  const diagnostics = useScenario(selectActiveDiagnostics);
  const all = useScenario(selectDiagnostics);
  const theme = usePrefs((s) => s.theme);
  const [reveal, setReveal] = useState<{ line: number; col: number; nonce: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  function onChange(next: string) {
    actions.editFile(active, next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void actions.simulateNow(), SETTLE_MS);
  }

  return (
    <section className="pw-editor" aria-label={t('editor.label')} data-testid="editor-pane">
      {files.length > 1 && (
        <div className="pw-tabs" role="tablist">
          {files.map((f) => (
            <button
              key={f.name}
              role="tab"
              aria-selected={f.name === active}
              className="pw-tab"
              onClick={() => actions.setActiveFile(f.name)}
            >
              {f.name}
              {all.some((d) => d.file === f.name && d.severity === 'error') && (
                <span className="pw-dot-error" aria-label={t('editor.hasErrors')} />
              )}
            </button>
          ))}
        </div>
      )}
      <div className="pw-editor-body" data-testid="editor">
        <Suspense fallback={<div className="pw-loading">{t('editor.loading')}</div>}>
          <MonacoYamlEditor
            path={active || 'cluster.yaml'}
            value={text}
            diagnostics={diagnostics}
            theme={theme}
            onChange={onChange}
            reveal={reveal}
            ariaLabel={t('editor.label')}
          />
        </Suspense>
      </div>
      <DiagnosticsList
        onPick={(d) => {
          if (d.file !== active) actions.setActiveFile(d.file);
          setReveal({ line: d.line, col: d.col, nonce: Date.now() });
        }}
      />
    </section>
  );
}
