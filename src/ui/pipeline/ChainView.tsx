import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PipelineView, TraceEvent } from '../../protocol/messages';

type NfEvent = Extract<TraceEvent, { kind: 'netfilter' }>;

/** The chain being walked, rule by rule: the rules evaluated lit, the matched one marked. */
export function ChainView({
  pipeline,
  event,
  walked,
}: {
  pipeline: PipelineView;
  event: NfEvent;
  walked: string[];
}) {
  const { t } = useTranslation();
  const chain = pipeline.tables
    .find((x) => x.name === event.table)
    ?.chains.find((c) => c.name === event.chain);
  const list = useRef<HTMLOListElement | null>(null);
  useEffect(() => {
    list.current
      ?.querySelector('.pw-rule-hit, .pw-rule-eval')
      ?.scrollIntoView({ block: 'nearest' });
  }, [event]);
  if (!chain) return null;
  const [lo, hi] = event.range ?? (event.index !== null ? [event.index, event.index] : [0, -1]);
  return (
    <div className="pw-chain" data-testid="chain-view">
      <div className="pw-chain-path">
        <span className="pw-muted">{event.table}:</span>{' '}
        {walked.map((c, i) => (
          <span key={`${c}${i}`}>
            {i > 0 && ' → '}
            <span className={c === event.chain ? 'pw-strong' : undefined}>{c}</span>
          </span>
        ))}
      </div>
      <ol className="pw-rules" ref={list}>
        {chain.rules.map((r, i) => {
          const n = i + 1;
          const inRange = n >= lo && n <= hi;
          const cls = inRange ? (event.matched ? 'pw-rule-hit' : 'pw-rule-eval') : '';
          return (
            <li key={n} className={`pw-rule ${cls}`} data-testid={inRange ? 'rule-lit' : undefined}>
              <span className="pw-rule-n">{n}</span>
              <code>{r}</code>
              {inRange && (
                <span className="pw-rule-tag">
                  {event.matched
                    ? t('pipeline.matched', { verdict: event.verdict })
                    : t('pipeline.noMatch')}
                </span>
              )}
            </li>
          );
        })}
        {chain.policy && (
          <li className={`pw-rule pw-rule-policy${event.rule === null ? ' pw-rule-hit' : ''}`}>
            <span className="pw-rule-n">—</span>
            <code>{t('pipeline.policy', { policy: chain.policy })}</code>
          </li>
        )}
      </ol>
    </div>
  );
}
