import { useEffect } from 'react';
import { actions } from '../../store';

/**
 * A shared link is read once, when the page starts (the store took it from `location.hash`);
 * then the fragment is dropped from the address bar, so a later reload opens what the user
 * has typed since (kept in local storage), never the older view the link carried.
 */
export function useConsumeSharedLink() {
  useEffect(() => {
    if (location.hash.startsWith('#s='))
      history.replaceState(history.state, '', location.pathname + location.search);
  }, []);
}

/** A link that reopens this exact view: scenario, flow, seed and step. */
export function currentShareUrl(): string {
  const url = new URL(location.href);
  url.hash = actions.shareHash();
  return url.toString();
}
