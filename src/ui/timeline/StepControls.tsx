import { ChevronFirst, ChevronLast, Pause, Play, StepBack, StepForward } from 'lucide-react';
import { JumpButtons } from './JumpButtons';
import { useTranslation } from 'react-i18next';
import {
  actions,
  selectGranularity,
  selectStep,
  selectStepCount,
  usePrefs,
  useScenario,
  type Granularity,
} from '../../store';

const SPEEDS = [1500, 1000, 700, 400, 200];

/** Next / Back / Play, first / last, speed, and a scrubbable slider over every step. */
export function StepControls() {
  const { t } = useTranslation();
  const step = useScenario(selectStep);
  const count = useScenario(selectStepCount);
  const playing = usePrefs((s) => s.playing);
  const speedMs = usePrefs((s) => s.speedMs);
  const setPlaying = usePrefs((s) => s.setPlaying);
  const setSpeed = usePrefs((s) => s.setSpeed);
  const granularity = useScenario(selectGranularity);
  const none = count === 0;
  return (
    <div className="pw-controls" role="toolbar" aria-label={t('steps.controls')}>
      <button
        className="pw-icon-btn"
        onClick={() => actions.first()}
        disabled={none || step === 0}
        aria-label={t('steps.first')}
        title={t('steps.first')}
        data-testid="step-first"
      >
        <ChevronFirst size={18} />
      </button>
      <button
        className="pw-icon-btn"
        onClick={() => {
          setPlaying(false);
          actions.back();
        }}
        disabled={none || step === 0}
        aria-label={t('steps.back')}
        title={`${t('steps.back')} (←)`}
        data-testid="step-back"
      >
        <StepBack size={18} />
      </button>
      <button
        className="pw-icon-btn pw-play"
        onClick={() => {
          if (!playing && step >= count - 1) actions.first();
          setPlaying(!playing);
        }}
        disabled={none}
        aria-label={playing ? t('steps.pause') : t('steps.play')}
        title={`${playing ? t('steps.pause') : t('steps.play')} (${t('steps.space')})`}
        data-testid="step-play"
      >
        {playing ? <Pause size={18} /> : <Play size={18} />}
      </button>
      <button
        className="pw-icon-btn"
        onClick={() => {
          setPlaying(false);
          actions.next();
        }}
        disabled={none || step >= count - 1}
        aria-label={t('steps.next')}
        title={`${t('steps.next')} (→)`}
        data-testid="step-next"
      >
        <StepForward size={18} />
      </button>
      <button
        className="pw-icon-btn"
        onClick={() => actions.last()}
        disabled={none || step >= count - 1}
        aria-label={t('steps.last')}
        title={t('steps.last')}
        data-testid="step-last"
      >
        <ChevronLast size={18} />
      </button>
      <input
        className="pw-scrub"
        type="range"
        min={0}
        max={Math.max(count - 1, 0)}
        value={step}
        onChange={(e) => actions.setStep(Number(e.target.value))}
        disabled={none}
        aria-label={t('steps.scrub')}
        data-testid="step-scrub"
      />
      <span className="pw-step-count" data-testid="step-count" aria-live="polite">
        {none ? '–' : t('steps.counter', { step: step + 1, count })}
      </span>
      <JumpButtons />
      <label className="pw-speed">
        <span>{t('steps.granularity')}</span>
        <select
          value={granularity}
          onChange={(e) => actions.setGranularity(e.target.value as Granularity)}
          data-testid="step-granularity"
        >
          <option value="rule">{t('steps.perRule')}</option>
          <option value="hop">{t('steps.perHop')}</option>
        </select>
      </label>
      <label className="pw-speed">
        <span>{t('steps.speed')}</span>
        <select
          value={speedMs}
          onChange={(e) => setSpeed(Number(e.target.value))}
          data-testid="step-speed"
        >
          {SPEEDS.map((ms) => (
            <option key={ms} value={ms}>
              {t('steps.speedValue', { x: (700 / ms).toFixed(1) })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
