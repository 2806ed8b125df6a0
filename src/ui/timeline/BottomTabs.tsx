import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ComparePanel } from '../compare/ComparePanel';
import { PipelinePanel } from '../pipeline/PipelinePanel';
import { TabBar } from '../shell/TabBar';
import { selectBgp, useScenario } from '../../store';
import { BgpPanel } from './BgpPanel';
import { StepList } from './StepList';

type Tab = 'steps' | 'pipeline' | 'bgp' | 'compare';

/** Under the canvas: the text timeline, or the netfilter pipeline of where the packet is. */
export function BottomTabs() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('steps');
  const bgp = useScenario(selectBgp);
  const tabs: Tab[] = bgp
    ? ['steps', 'pipeline', 'bgp', 'compare']
    : ['steps', 'pipeline', 'compare'];
  const shown = tabs.includes(tab) ? tab : 'steps';
  return (
    <>
      <TabBar<Tab>
        tabs={tabs}
        selected={shown}
        onSelect={setTab}
        label={(k) =>
          t(
            k === 'steps'
              ? 'steps.tabSteps'
              : k === 'pipeline'
                ? 'pipeline.tab'
                : k === 'bgp'
                  ? 'bgp.title'
                  : 'compare.tab',
          )
        }
        testId="bottom-tab"
      />
      <div className="pw-bottom-body" role="tabpanel">
        {shown === 'steps' ? (
          <StepList />
        ) : shown === 'pipeline' ? (
          <PipelinePanel />
        ) : shown === 'bgp' ? (
          <BgpPanel />
        ) : (
          <ComparePanel />
        )}
      </div>
    </>
  );
}
