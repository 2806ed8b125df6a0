import { useTranslation } from 'react-i18next';
import { selectStep, selectTrace, useInspector, useScenario, type InspectorTab } from '../../store';
import { TabBar } from '../shell/TabBar';
import { ConntrackNow } from './ConntrackNow';
import { ElementDetail } from './ElementDetail';
import { EventDetail } from './EventDetail';
import { NodeTables } from './NodeTables';
import { PacketHeaders } from './PacketHeaders';
import { TrafficPanel } from './TrafficPanel';

const TABS: InspectorTab[] = ['packet', 'element', 'tables', 'traffic'];

/** The right-hand panel: the packet at this step, the clicked element, or a namespace's tables. */
export function Inspector() {
  const { t } = useTranslation();
  const trace = useScenario(selectTrace);
  const step = useScenario(selectStep);
  const tab = useInspector((s) => s.tab);
  const setTab = useInspector((s) => s.setTab);
  const event = trace?.events[step];
  // The packet as it was before this step: the last earlier step of this direction with one.
  const previous = trace?.events
    .slice(0, step)
    .reverse()
    .find((e) => e.packet && e.dir === event?.dir)?.packet;
  const before =
    event?.kind === 'nat' || event?.kind === 'encap' || event?.kind === 'decap'
      ? (event.prev ?? previous)
      : previous;
  return (
    <aside className="pw-inspector" aria-label={t('inspector.label')} data-testid="inspector">
      <TabBar
        tabs={TABS}
        selected={tab}
        onSelect={setTab}
        label={(k) => t(`inspector.tab.${k}`)}
        testId="inspector-tab"
      />
      {/* Focusable: a keyboard user scrolls long tables (headers, iptables-save) with it. */}
      <div
        className="pw-inspector-body"
        role="tabpanel"
        tabIndex={0}
        aria-label={t(`inspector.tab.${tab}`)}
      >
        {tab === 'packet' &&
          (event ? (
            <>
              <EventDetail event={event} />
              <h3 className="pw-h3">
                {event.packet ? t('inspector.headers') : t('inspector.headersUnchanged')}
              </h3>
              <PacketHeaders
                packet={event.packet ?? previous}
                previous={event.packet ? before : undefined}
              />
              <ConntrackNow events={trace!.events} step={step} />
            </>
          ) : (
            <p className="pw-muted">{t('steps.noTrace')}</p>
          ))}
        {tab === 'element' && <ElementDetail />}
        {tab === 'tables' && <NodeTables />}
        {tab === 'traffic' && <TrafficPanel />}
      </div>
    </aside>
  );
}
