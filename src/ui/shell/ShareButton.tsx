import { Check, Link } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentShareUrl } from './useShareUrl';

/** Copies a link that reopens this exact view; where the clipboard is refused, shows it. */
export function ShareButton() {
  const { t } = useTranslation();
  const [state, setState] = useState<{ ok: boolean; url: string } | null>(null);
  useEffect(() => {
    if (!state?.ok) return;
    const id = setTimeout(() => setState(null), 2500);
    return () => clearTimeout(id);
  }, [state]);
  return (
    <>
      <button
        className="pw-icon-btn"
        onClick={() => {
          const url = currentShareUrl();
          const copy = navigator.clipboard?.writeText(url) ?? Promise.reject(new Error('none'));
          copy.then(
            () => setState({ ok: true, url }),
            () => setState({ ok: false, url }),
          );
        }}
        aria-label={t('header.share')}
        title={t('header.share')}
        data-testid="share"
      >
        {state?.ok ? <Check size={18} /> : <Link size={18} />}
      </button>
      {state && (
        <span className="pw-status" role="status" data-testid="share-status" data-url={state.url}>
          {state.ok ? t('header.copied') : t('header.copyFailed')}
        </span>
      )}
      {state && !state.ok && (
        <input
          className="pw-share-url"
          readOnly
          value={state.url}
          onFocus={(e) => e.target.select()}
          aria-label={t('header.share')}
          data-testid="share-url"
        />
      )}
    </>
  );
}
