import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';

export type BusEdgeData = {
  /** Which end is the bus (a segment, a bridge drawn across its host). */
  bus: 'source' | 'target';
  /** The bus's horizontal extent, where a drop may land. */
  from: number;
  to: number;
  /** Bends on the way past other hosts (layout's wire routes); then a drop onto the bus. */
  bends?: { x: number; y: number }[];
};

/**
 * A link onto a bus: a vertical drop from the device to the wide box under (or over) it, as
 * NICs hang off a LAN in a network diagram, instead of every link converging on its centre.
 * A device beyond the bus's ends gets an elbow.
 */
export function BusEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  data,
  style,
}: EdgeProps<Edge<BusEdgeData, 'bus'>>) {
  if (data?.bends?.length && data.bus === 'target') {
    const last = data.bends[data.bends.length - 1]!;
    const points = [{ x: sourceX, y: sourceY }, ...data.bends, { x: last.x, y: targetY }];
    return (
      <BaseEdge
        id={id}
        path={`M ${points.map((p) => `${p.x},${p.y}`).join(' L ')}`}
        style={style}
      />
    );
  }
  const devX = data?.bus === 'source' ? targetX : sourceX;
  const x = data ? Math.min(Math.max(devX, data.from + 12), data.to - 12) : devX;
  const path =
    data?.bus === 'source'
      ? x === devX
        ? `M ${x},${sourceY} L ${x},${targetY}`
        : `M ${x},${sourceY} L ${x},${(sourceY + targetY) / 2} L ${devX},${(sourceY + targetY) / 2} L ${devX},${targetY}`
      : x === devX
        ? `M ${devX},${sourceY} L ${devX},${targetY}`
        : `M ${devX},${sourceY} L ${devX},${(sourceY + targetY) / 2} L ${x},${(sourceY + targetY) / 2} L ${x},${targetY}`;
  return <BaseEdge id={id} path={path} style={style} />;
}
