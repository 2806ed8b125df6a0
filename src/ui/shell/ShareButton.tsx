import { Check, Link } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentShareUrl } from './useShareUrl';

/** Copies a link that reopens this exact view: scenario, flow, seed and step. */
export function ShareButton() {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const id = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(id);
  }, [copied]);
  return (
    <>
      <button
        className="pw-icon-btn"
        onClick={() => {
          const url = currentShareUrl();
          history.replaceState(history.state, '', url);
          navigator.clipboard
            ?.writeText(url)
            .then(() => setCopied('ok'))
            .catch(() => setCopied('failed'));
        }}
        aria-label={t('header.share')}
        title={t('header.share')}
        data-testid="share"
      >
        {copied === 'ok' ? <Check size={18} /> : <Link size={18} />}
      </button>
      {copied && (
        <span className="pw-status" role="status" data-testid="share-status">
          {copied === 'ok' ? t('header.copied') : t('header.copyFailed')}
        </span>
      )}
    </>
  );
}
