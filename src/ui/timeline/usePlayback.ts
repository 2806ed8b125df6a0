import { useEffect } from 'react';
import { actions, selectStep, selectStepCount, usePrefs, useScenario } from '../../store';

/** Advances one step every `speedMs` while playing; stops at the last step. */
export function usePlayback() {
  const playing = usePrefs((s) => s.playing);
  const speedMs = usePrefs((s) => s.speedMs);
  const step = useScenario(selectStep);
  const count = useScenario(selectStepCount);
  useEffect(() => {
    if (!playing) return;
    if (step >= count - 1) {
      usePrefs.getState().setPlaying(false);
      return;
    }
    const id = setTimeout(() => actions.next(), speedMs);
    return () => clearTimeout(id);
  }, [playing, speedMs, step, count]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('.monaco-editor') !== null
  );
}

/** ←/→ step, space plays or pauses, Home/End jump: everywhere except while typing. */
export function useStepKeys() {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const prefs = usePrefs.getState();
      switch (e.key) {
        case 'ArrowRight':
          prefs.setPlaying(false);
          actions.next();
          break;
        case 'ArrowLeft':
          prefs.setPlaying(false);
          actions.back();
          break;
        case 'Home':
          actions.first();
          break;
        case 'End':
          actions.last();
          break;
        case 'n':
          actions.jump('nat');
          break;
        case 'o':
          actions.jump('node');
          break;
        case 'd':
          actions.jump('drop');
          break;
        case 'p':
          prefs.setPresenting(!prefs.presenting);
          break;
        case ' ':
          if (e.target instanceof HTMLButtonElement) return;
          prefs.setPlaying(!prefs.playing);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
