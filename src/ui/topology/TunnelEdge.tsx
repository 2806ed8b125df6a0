import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { BusEdge } from './BusEdge';

/**
 * A tunnel between two VTEPs: a dashed arc that bows down the further apart its ends are,
 * so tunnels of a mesh between hosts in one row do not lie on top of each other.
 */
export function TunnelEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  style,
  markerEnd,
}: EdgeProps) {
  const bow = Math.min(220, Math.abs(targetX - sourceX) * 0.18);
  const mx = (sourceX + targetX) / 2;
  const my = (sourceY + targetY) / 2 + bow;
  return (
    <BaseEdge
      id={id}
      path={`M ${sourceX},${sourceY} Q ${mx},${my} ${targetX},${targetY}`}
      style={style}
      markerEnd={markerEnd}
    />
  );
}

export const edgeTypes = { tunnel: TunnelEdge, bus: BusEdge };
