import { useEffect } from 'react';
import { actions, scenarioStore } from '../../store';

const SETTLE_MS = 400;

/** The address bar always carries the current view, so copying it shares exactly this. */
export function useShareUrl() {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = scenarioStore.subscribe((s, prev) => {
      if (
        s.files === prev.files &&
        s.flowId === prev.flowId &&
        s.seed === prev.seed &&
        s.step === prev.step
      )
        return;
      if (s.status === 'starting') return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        history.replaceState(history.state, '', `#${actions.shareHash()}`);
      }, SETTLE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}

/** The link to this view, up to date now (not after the settle delay). */
export function currentShareUrl(): string {
  const url = new URL(location.href);
  url.hash = actions.shareHash();
  return url.toString();
}
