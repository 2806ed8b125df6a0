import { ViewportPortal } from '@xyflow/react';
import { AnimatePresence, motion, useReducedMotion } from 'framer-motion';
import { useTranslation } from 'react-i18next';
import type { PacketView, TraceEvent } from '../../protocol/messages';
import { usePrefs } from '../../store';
import type { Focus } from './focus';
import type { Layout } from './layout';
import type { Point } from './token-path';

const SIZE = 30;

function tokenLabel(p: PacketView | undefined): string {
  if (!p) return '';
  if (p.tcp) return p.tcp.flags;
  if (p.udp) return 'UDP';
  if (p.icmp) return 'ICMP';
  return 'IP';
}

/** What a rewrite, a wrap or a drop did, said next to the token: "DNAT 10.96.0.10:53 → …". */
function callout(
  e: TraceEvent,
  t: (k: string, o?: Record<string, unknown>) => string,
): string | null {
  switch (e.kind) {
    case 'nat':
      return `${e.type} ${e.before} → ${e.after}`;
    case 'encap':
      return t('token.encap', { tunnel: e.tunnel.toUpperCase(), bytes: e.overhead });
    case 'decap':
      return t('token.decap', { tunnel: e.tunnel.toUpperCase(), bytes: e.overhead });
    case 'drop':
      return `✕ ${e.message}`;
    default:
      return null;
  }
}

/** The packet: a token that moves from where it was to where this step happens. */
export function PacketToken({
  layout,
  focus,
  path,
  event,
}: {
  layout: Layout;
  focus: Focus;
  /** The points this step moves the token through (token-path.ts). */
  path: Point[];
  event: TraceEvent;
}) {
  const { t } = useTranslation();
  const reduced = useReducedMotion();
  const speedMs = usePrefs((s) => s.speedMs);
  const to = path[path.length - 1];
  if (!layout.byId.has(focus.at) || !to) return null;
  // `null` first: start from wherever the token is now, forwards or backwards.
  const xs = [null, ...path.map((p) => p.x - SIZE / 2)];
  const ys = [null, ...path.map((p) => p.y - SIZE / 2)];
  const duration = reduced ? 0 : Math.min(0.9, (speedMs / 1000) * 0.75);
  const dropped = event.kind === 'drop';
  const wrapped = event.packet?.inner !== undefined;
  return (
    <ViewportPortal>
      <motion.div
        className={`pw-token pw-token-${event.dir}${dropped ? ' pw-token-drop' : ''}${wrapped ? ' pw-token-wrapped' : ''}`}
        data-testid="packet-token"
        data-at={focus.at}
        data-step={event.i}
        initial={{ x: to.x - SIZE / 2, y: to.y - SIZE / 2, scale: 1 }}
        animate={{
          x: xs,
          y: ys,
          scale: event.kind === 'hook' || event.kind === 'nat' ? [1, 1.35, 1] : 1,
        }}
        transition={{ duration, ease: 'easeInOut' }}
        style={{ width: SIZE, height: SIZE, position: 'absolute', pointerEvents: 'none' }}
        aria-hidden
      >
        <span>{tokenLabel(event.packet)}</span>
        <AnimatePresence>
          {callout(event, t) && (
            <motion.div
              key={event.i}
              className={`pw-callout pw-callout-${event.kind}`}
              data-testid="token-callout"
              initial={reduced ? false : { opacity: 0, y: 6, x: '-50%' }}
              animate={{ opacity: 1, y: 0, x: '-50%' }}
              exit={{ opacity: 0 }}
              transition={{ duration: reduced ? 0 : 0.25 }}
            >
              {callout(event, t)}
            </motion.div>
          )}
        </AnimatePresence>
      </motion.div>
    </ViewportPortal>
  );
}
