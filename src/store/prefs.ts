import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Theme = 'light' | 'dark';

interface Prefs {
  theme: Theme;
  /** Milliseconds per step while playing. */
  speedMs: number;
  playing: boolean;
  /** Presentation mode: large type, editor folded away, the step's sentence under the canvas. */
  presenting: boolean;
  setPresenting(on: boolean): void;
  /** Show each device's MAC address on the canvas. */
  showMacs: boolean;
  setShowMacs(on: boolean): void;
  setTheme(theme: Theme): void;
  setSpeed(ms: number): void;
  setPlaying(playing: boolean): void;
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

/** View preferences: how the page looks and plays, never what the cluster is. */
export const usePrefs = create<Prefs>()(
  persist(
    (set) => ({
      theme: systemTheme(),
      speedMs: 700,
      playing: false,
      presenting: false,
      setPresenting: (presenting) => set({ presenting }),
      showMacs: false,
      setShowMacs: (showMacs) => set({ showMacs }),
      setTheme: (theme) => set({ theme }),
      setSpeed: (speedMs) => set({ speedMs }),
      setPlaying: (playing) => set({ playing }),
    }),
    {
      name: 'packetwalk:v1:prefs',
      partialize: (s) => ({
        theme: s.theme,
        speedMs: s.speedMs,
        presenting: s.presenting,
        showMacs: s.showMacs,
      }),
    },
  ),
);
