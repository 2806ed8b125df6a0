import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PipelinePanel } from '../pipeline/PipelinePanel';
import { StepList } from './StepList';

type Tab = 'steps' | 'pipeline';

/** Under the canvas: the text timeline, or the netfilter pipeline of where the packet is. */
export function BottomTabs() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('steps');
  return (
    <>
      <div className="pw-tabs" role="tablist">
        {(['steps', 'pipeline'] as const).map((k) => (
          <button
            key={k}
            role="tab"
            aria-selected={tab === k}
            className="pw-tab"
            onClick={() => setTab(k)}
            data-testid={`bottom-tab-${k}`}
          >
            {k === 'steps' ? t('steps.tabSteps') : t('pipeline.tab')}
          </button>
        ))}
      </div>
      <div className="pw-bottom-body" role="tabpanel">
        {tab === 'steps' ? <StepList /> : <PipelinePanel />}
      </div>
    </>
  );
}
