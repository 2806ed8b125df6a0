import { ArrowRightLeft, Ban, Server } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import {
  actions,
  jumpTo,
  selectStep,
  selectTrace,
  usePrefs,
  useScenario,
  type JumpTarget,
} from '../../store';

const TARGETS: { target: JumpTarget; key: string; Icon: typeof Ban }[] = [
  { target: 'nat', key: 'n', Icon: ArrowRightLeft },
  { target: 'node', key: 'o', Icon: Server },
  { target: 'drop', key: 'd', Icon: Ban },
];

/** "Jump to the next NAT / next node / next drop" (keys n, o, d). */
export function JumpButtons() {
  const { t } = useTranslation();
  const trace = useScenario(selectTrace);
  const step = useScenario(selectStep);
  return (
    <div className="pw-jumps" role="group" aria-label={t('steps.jumps')}>
      {TARGETS.map(({ target, key, Icon }) => (
        <button
          key={target}
          className="pw-icon-btn pw-jump"
          disabled={!trace || jumpTo(trace.events, step, target) === null}
          onClick={() => {
            usePrefs.getState().setPlaying(false);
            actions.jump(target);
          }}
          title={`${t(`steps.jump.${target}`)} (${key})`}
          aria-label={t(`steps.jump.${target}`)}
          data-testid={`jump-${target}`}
        >
          <Icon size={16} />
        </button>
      ))}
    </div>
  );
}
