import { ViewportPortal } from '@xyflow/react';
import { useReducedMotion } from 'framer-motion';
import { memo, type CSSProperties } from 'react';
import type { TrafficResult } from '../../protocol/messages';
import { centreOf, type Layout } from './layout';

const SIZE = 12;
/** All connections leave within this window, so 500 of them are in flight together. */
const SPREAD_S = 2.5;
const FLIGHT_S = 1.6;

/**
 * Traffic mode on the canvas: one dot per connection, from its client to the namespace that
 * got it (red, stopping halfway, when it was not delivered). Plain CSS animations of
 * `transform`, so hundreds of dots run on the compositor without React re-rendering.
 */
export const TrafficLayer = memo(function TrafficLayer({
  layout,
  traffic,
}: {
  layout: Layout;
  traffic: TrafficResult;
}) {
  const reduced = useReducedMotion();
  const n = traffic.connections.length;
  return (
    <ViewportPortal>
      <div className="pw-traffic-layer" data-testid="traffic-layer" data-count={n}>
        {traffic.connections.map((c) => {
          const from = layout.byId.get(c.client);
          if (!from) return null;
          const a = centreOf(from);
          const toBox = c.endpoint ? layout.byId.get(c.endpoint) : undefined;
          const b = toBox ? centreOf(toBox) : { x: a.x, y: a.y + 120 };
          const style = {
            '--x0': `${a.x - SIZE / 2}px`,
            '--y0': `${a.y - SIZE / 2}px`,
            '--x1': `${b.x - SIZE / 2 + ((c.i % 7) - 3) * 3}px`,
            '--y1': `${b.y - SIZE / 2 + ((c.i % 5) - 2) * 3}px`,
            animationDelay: reduced ? '0s' : `${((c.i / Math.max(n, 1)) * SPREAD_S).toFixed(3)}s`,
            animationDuration: reduced ? '0s' : `${FLIGHT_S}s`,
          } as CSSProperties;
          return (
            <span
              key={c.i}
              className={`pw-conn${c.endpoint ? '' : ' pw-conn-failed'}`}
              style={style}
            />
          );
        })}
      </div>
    </ViewportPortal>
  );
});
