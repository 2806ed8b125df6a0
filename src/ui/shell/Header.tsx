import { Languages, Moon, Presentation, Sun } from 'lucide-react';
import { ShareButton } from './ShareButton';
import { useTranslation } from 'react-i18next';
import {
  actions,
  selectPresetId,
  selectPresets,
  selectStatus,
  usePrefs,
  useScenario,
} from '../../store';
import { LANGUAGES } from '../i18n';
import { FlowPicker } from './FlowPicker';

export function Header() {
  const { t, i18n } = useTranslation();
  const presets = useScenario(selectPresets);
  const presetId = useScenario(selectPresetId);
  const status = useScenario(selectStatus);
  const theme = usePrefs((s) => s.theme);
  const setTheme = usePrefs((s) => s.setTheme);
  const presenting = usePrefs((s) => s.presenting);
  const setPresenting = usePrefs((s) => s.setPresenting);
  return (
    <header className="pw-header">
      <div className="pw-brand">
        <span className="pw-logo" aria-hidden>
          ⬢
        </span>
        <h1>Packetwalk</h1>
        <span className="pw-tagline">{t('app.tagline')}</span>
      </div>
      <label className="pw-field">
        <span>{t('header.scenario')}</span>
        <select
          value={presetId}
          onChange={(e) => void actions.loadPreset(e.target.value)}
          data-testid="preset-picker"
        >
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {t(p.titleKey, { defaultValue: p.id })}
            </option>
          ))}
        </select>
      </label>
      <FlowPicker />
      <span className={`pw-status pw-status-${status}`} data-testid="engine-status" role="status">
        {t(`status.${status}`)}
      </span>
      <div className="pw-header-end">
        <ShareButton />
        <button
          className={`pw-icon-btn${presenting ? ' pw-on' : ''}`}
          onClick={() => setPresenting(!presenting)}
          aria-pressed={presenting}
          aria-label={t('header.present')}
          title={`${t('header.present')} (p)`}
          data-testid="present-toggle"
        >
          <Presentation size={18} />
        </button>
        <label className="pw-field pw-lang">
          <Languages size={16} aria-hidden />
          <select
            value={i18n.resolvedLanguage}
            onChange={(e) => void i18n.changeLanguage(e.target.value)}
            aria-label={t('header.language')}
            data-testid="language-switch"
          >
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <button
          className="pw-icon-btn"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={theme === 'dark' ? t('header.light') : t('header.dark')}
          title={theme === 'dark' ? t('header.light') : t('header.dark')}
          data-testid="theme-toggle"
        >
          {theme === 'dark' ? <Sun size={18} /> : <Moon size={18} />}
        </button>
      </div>
    </header>
  );
}
