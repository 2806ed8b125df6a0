import { useTranslation } from 'react-i18next';
import { selectCurrentEvent, selectStep, selectStepCount, useScenario } from '../../store';
import { describeEvent } from './describe';

/** The current step's sentence, large: what the class reads while the packet moves. */
export function CurrentStep() {
  const { t } = useTranslation();
  const event = useScenario(selectCurrentEvent);
  const step = useScenario(selectStep);
  const count = useScenario(selectStepCount);
  if (!event) return null;
  return (
    <div
      className={`pw-current pw-current-${event.dir}`}
      data-testid="current-step"
      aria-live="polite"
    >
      <span className="pw-current-where" data-testid="current-step-where">
        {t('steps.counter', { step: step + 1, count })} · {event.ns}
      </span>
      <span className="pw-current-text">{describeEvent(event, t)}</span>
    </div>
  );
}
