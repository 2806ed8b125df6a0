import { useTranslation } from 'react-i18next';
import type { TraceEvent } from '../../protocol/messages';

/**
 * The conntrack entries as they stand at this step: for each namespace, the entry its last
 * conntrack event printed (created, found, confirmed). Stepping back shows them as they were.
 */
export function ConntrackNow({ events, step }: { events: readonly TraceEvent[]; step: number }) {
  const { t } = useTranslation();
  const latest = new Map<string, { entry: string; action: string }>();
  for (const e of events.slice(0, step + 1))
    if (e.kind === 'conntrack' && e.entry) latest.set(e.ns, { entry: e.entry, action: e.action });
  if (!latest.size) return null;
  return (
    <div data-testid="conntrack-now">
      <h3 className="pw-h3">{t('inspector.conntrackNow')}</h3>
      {[...latest].map(([ns, { entry, action }]) => (
        <div key={ns} className="pw-ct">
          <div className="pw-muted pw-small">
            {ns} · {t(`ctAction.${action}`)}
          </div>
          <pre className="pw-code">{entry}</pre>
        </div>
      ))}
    </div>
  );
}
