import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { actions, selectNotices, useScenario } from '../../store';

/** Engine trouble (a crash, a time-out, a failed request), said plainly; the page keeps working. */
export function Notices() {
  const { t } = useTranslation();
  const notices = useScenario(selectNotices);
  if (!notices.length) return null;
  return (
    <div className="pw-notices" role="alert" data-testid="notices">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`pw-notice pw-notice-${n.kind}`}
          data-testid={`notice-${n.kind}`}
        >
          <strong>{t(`notice.${n.kind}`)}</strong> <span>{n.message}</span>
          <button
            className="pw-icon-btn"
            onClick={() => actions.dismissNotice(n.id)}
            aria-label={t('notice.dismiss')}
          >
            <X size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
