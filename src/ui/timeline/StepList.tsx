import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  actions,
  isVisible,
  selectGranularity,
  selectStep,
  selectTrace,
  usePrefs,
  useScenario,
} from '../../store';
import { describeEvent } from './describe';

/** The whole trace as sentences, one per step; the current one is highlighted. */
export function StepList() {
  const { t } = useTranslation();
  const trace = useScenario(selectTrace);
  const step = useScenario(selectStep);
  const granularity = useScenario(selectGranularity);
  const current = useRef<HTMLLIElement | null>(null);
  useEffect(() => {
    current.current?.scrollIntoView({ block: 'nearest' });
  }, [step, trace]);
  if (!trace) return <div className="pw-muted pw-pad">{t('steps.noTrace')}</div>;
  return (
    <ol
      className="pw-steps"
      data-testid="step-list"
      data-seed={trace.seed}
      aria-label={t('steps.list')}
    >
      {trace.events
        .filter((e) => isVisible(e, granularity))
        .map((e) => (
          <li
            key={e.i}
            ref={e.i === step ? current : undefined}
            className={`pw-step pw-step-${e.dir}${e.i === step ? ' pw-step-current' : ''}${e.kind === 'drop' ? ' pw-step-drop' : ''}`}
            aria-current={e.i === step ? 'step' : undefined}
          >
            <button
              onClick={() => {
                usePrefs.getState().setPlaying(false);
                actions.setStep(e.i);
              }}
              data-testid={`step-${e.i}`}
            >
              <span className="pw-step-i">{e.i + 1}</span>
              <span className="pw-step-dir" aria-label={t(`dir.${e.dir}`)}>
                {e.dir === 'request' ? '→' : '←'}
              </span>
              <span className="pw-step-where">{e.ns}</span>
              <span className="pw-step-text">{describeEvent(e, t)}</span>
            </button>
          </li>
        ))}
    </ol>
  );
}
