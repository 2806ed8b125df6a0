import { useEffect } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { useTranslation } from 'react-i18next';
import { actions, usePrefs } from '../store';
import { EditorPane } from './editor/EditorPane';
import { Inspector } from './inspector/Inspector';
import { Header } from './shell/Header';
import { Notices } from './shell/Notices';
import { useConsumeSharedLink } from './shell/useShareUrl';
import TopologyCanvas from './topology/TopologyCanvas';
import { CurrentStep } from './timeline/CurrentStep';
import { StepControls } from './timeline/StepControls';
import { BottomTabs } from './timeline/BottomTabs';
import { usePlayback, useStepKeys } from './timeline/usePlayback';

function Handle({ vertical = false }: { vertical?: boolean }) {
  return <Separator className={`pw-resize ${vertical ? 'pw-resize-v' : 'pw-resize-h'}`} />;
}

export function App() {
  const { t, i18n } = useTranslation();
  const theme = usePrefs((s) => s.theme);
  const presenting = usePrefs((s) => s.presenting);
  usePlayback();
  useStepKeys();
  useConsumeSharedLink();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.dataset.presenting = presenting ? 'on' : 'off';
  }, [presenting]);
  useEffect(() => {
    document.documentElement.lang = i18n.resolvedLanguage ?? 'en';
    document.title = `Packetwalk — ${t('app.tagline')}`;
  }, [i18n.resolvedLanguage, t]);
  useEffect(() => {
    void actions.init();
  }, []);

  return (
    <div className="pw-app">
      <Header />
      <Notices />
      <main className="pw-main">
        <Group orientation="vertical" className="pw-group">
          <Panel defaultSize="72%" minSize="30%">
            <Group orientation="horizontal" className="pw-group" key={presenting ? 'p' : 'e'}>
              {!presenting && (
                <>
                  <Panel id="editor" defaultSize="27%" minSize="12%" collapsible>
                    <EditorPane />
                  </Panel>
                  <Handle />
                </>
              )}
              <Panel id="canvas" defaultSize={presenting ? '72%' : '48%'} minSize="25%">
                <div className="pw-centre">
                  <TopologyCanvas />
                  {presenting && <CurrentStep />}
                </div>
              </Panel>
              <Handle />
              <Panel
                id="inspector"
                defaultSize={presenting ? '28%' : '25%'}
                minSize="12%"
                collapsible
              >
                <Inspector />
              </Panel>
            </Group>
          </Panel>
          <Handle vertical />
          <Panel defaultSize="28%" minSize="10%">
            <section className="pw-timeline" aria-label={t('steps.timeline')}>
              <StepControls />
              <BottomTabs />
            </section>
          </Panel>
        </Group>
      </main>
    </div>
  );
}
