import { Check } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PipelineStage } from '../../protocol/messages';
import {
  actions,
  selectCurrentEvent,
  selectPipeline,
  selectStep,
  selectTrace,
  useScenario,
} from '../../store';
import { ChainView } from './ChainView';
import { passageAt } from './passage';

function stageLabel(s: PipelineStage, t: (k: string) => string): string {
  if (s.kind === 'table')
    return s.table === 'nat' ? `nat (${s.priority < 0 ? 'DNAT' : 'SNAT'})` : s.table!;
  return t(`pipeline.${s.kind}`);
}

/** The five hooks of the namespace the packet is in, with their tables in kernel order. */
export function PipelinePanel() {
  const { t } = useTranslation();
  const trace = useScenario(selectTrace);
  const step = useScenario(selectStep);
  const event = useScenario(selectCurrentEvent);
  const pipeline = useScenario(selectPipeline);
  const ns = event?.ns ?? null;
  useEffect(() => {
    if (ns) void actions.requestPipeline(ns);
  }, [ns, trace]);
  const passage = useMemo(() => (trace ? passageAt(trace.events, step) : null), [trace, step]);

  if (!pipeline || !passage || pipeline.ns !== ns)
    return <p className="pw-muted pw-pad">{t('inspector.loading')}</p>;
  const empty = pipeline.hooks.every((h) => h.stages.length === 0);
  return (
    <div className="pw-pipeline" data-testid="pipeline">
      <div className="pw-pipeline-title">
        <strong>{t('pipeline.title', { ns })}</strong>
        {empty && <span className="pw-muted"> — {t('pipeline.noTables')}</span>}
      </div>
      <div className="pw-hooks">
        {pipeline.hooks.map(({ hook, stages }) => {
          const current = passage.hook === hook;
          const passed = passage.passed.includes(hook);
          return (
            <div
              key={hook}
              className={`pw-hook${current ? ' pw-hook-current' : ''}${passed ? ' pw-hook-passed' : ''}`}
              data-testid={`hook-${hook}`}
              data-state={current ? 'current' : passed ? 'passed' : 'idle'}
            >
              <div className="pw-hook-name">
                {passed && <Check size={14} aria-label={t('pipeline.passed')} />} {hook}
              </div>
              {stages.length === 0 && (
                <div className="pw-stage pw-stage-none">{t('pipeline.nothing')}</div>
              )}
              {stages.map((s) => {
                const lit = current && s.kind === 'table' && s.table === passage.table;
                return (
                  <div
                    key={`${s.kind}:${s.table ?? ''}`}
                    className={`pw-stage pw-stage-${s.kind}${lit ? ' pw-stage-lit' : ''}`}
                    title={`priority ${s.priority}`}
                  >
                    <span>{stageLabel(s, t)}</span>
                    {s.kind === 'table' && (
                      <span className="pw-muted pw-small">
                        {t('pipeline.rules', { n: s.rules ?? 0 })} · {s.policy}
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {event?.kind === 'netfilter' && (
        <ChainView pipeline={pipeline} event={event} walked={passage.chains} />
      )}
    </div>
  );
}
