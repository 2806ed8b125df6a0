import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PipelinePanel } from '../pipeline/PipelinePanel';
import { TabBar } from '../shell/TabBar';
import { StepList } from './StepList';

type Tab = 'steps' | 'pipeline';

/** Under the canvas: the text timeline, or the netfilter pipeline of where the packet is. */
export function BottomTabs() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('steps');
  return (
    <>
      <TabBar<Tab>
        tabs={['steps', 'pipeline']}
        selected={tab}
        onSelect={setTab}
        label={(k) => (k === 'steps' ? t('steps.tabSteps') : t('pipeline.tab'))}
        testId="bottom-tab"
      />
      <div className="pw-bottom-body" role="tabpanel">
        {tab === 'steps' ? <StepList /> : <PipelinePanel />}
      </div>
    </>
  );
}
