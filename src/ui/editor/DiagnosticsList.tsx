import { useTranslation } from 'react-i18next';
import type { Diagnostic } from '../../protocol/messages';
import { selectDiagnostics, useScenario } from '../../store';

/** Every problem in the manifests, with its file and line; clicking one jumps there. */
export function DiagnosticsList({ onPick }: { onPick(d: Diagnostic): void }) {
  const { t } = useTranslation();
  const diagnostics = useScenario(selectDiagnostics);
  if (!diagnostics.length)
    return (
      <div className="pw-diags pw-diags-ok" data-testid="diagnostics" role="status">
        {t('editor.noProblems')}
      </div>
    );
  return (
    <ul className="pw-diags" data-testid="diagnostics" aria-label={t('editor.problems')}>
      {diagnostics.map((d, i) => (
        <li key={`${d.file}:${d.line}:${d.col}:${d.code}:${i}`}>
          <button
            className={`pw-diag pw-diag-${d.severity}`}
            data-testid="diagnostic"
            onClick={() => onPick(d)}
          >
            <span className="pw-diag-pos">
              {d.file}:{d.line}:{d.col}
            </span>
            <span className="pw-diag-sev">{t(`severity.${d.severity}`)}</span>
            <span className="pw-diag-msg">{d.message}</span>
            <span className="pw-muted">{d.code}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
