import { useTranslation } from 'react-i18next';
import { selectBgp, useScenario } from '../../store';

/** Calico's route exchange, step by step: who announced which block, who learned it from whom. */
export function BgpPanel() {
  const { t } = useTranslation();
  const bgp = useScenario(selectBgp);
  if (!bgp) return null;
  return (
    <ol className="pw-steps" data-testid="bgp-events" aria-label={t('bgp.title')}>
      {bgp.map((e, i) => (
        <li key={i} className={`pw-step pw-bgp-${e.kind}`}>
          <div className="pw-step-row">
            <span className="pw-step-i">{i + 1}</span>
            <span className="pw-step-where">{e.node}</span>
            <span className="pw-step-text">
              {e.kind === 'announce'
                ? t('bgp.announce', { node: e.node, prefix: e.prefix, nextHop: e.nextHop })
                : e.from === e.origin
                  ? t('bgp.learn', {
                      node: e.node,
                      prefix: e.prefix,
                      from: e.from,
                      nextHop: e.nextHop,
                    })
                  : t('bgp.learnReflected', {
                      node: e.node,
                      prefix: e.prefix,
                      from: e.from,
                      origin: e.origin,
                      nextHop: e.nextHop,
                    })}
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
