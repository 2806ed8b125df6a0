import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PipelinePanel } from '../pipeline/PipelinePanel';
import { TabBar } from '../shell/TabBar';
import { selectBgp, useScenario } from '../../store';
import { BgpPanel } from './BgpPanel';
import { StepList } from './StepList';

type Tab = 'steps' | 'pipeline' | 'bgp';

/** Under the canvas: the text timeline, or the netfilter pipeline of where the packet is. */
export function BottomTabs() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('steps');
  const bgp = useScenario(selectBgp);
  const tabs: Tab[] = bgp ? ['steps', 'pipeline', 'bgp'] : ['steps', 'pipeline'];
  const shown = tabs.includes(tab) ? tab : 'steps';
  return (
    <>
      <TabBar<Tab>
        tabs={tabs}
        selected={shown}
        onSelect={setTab}
        label={(k) =>
          t(k === 'steps' ? 'steps.tabSteps' : k === 'pipeline' ? 'pipeline.tab' : 'bgp.title')
        }
        testId="bottom-tab"
      />
      <div className="pw-bottom-body" role="tabpanel">
        {shown === 'steps' ? <StepList /> : shown === 'pipeline' ? <PipelinePanel /> : <BgpPanel />}
      </div>
    </>
  );
}
