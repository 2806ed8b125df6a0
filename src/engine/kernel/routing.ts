import { cidrContains, formatCidr4, formatIp4, type Cidr4, type Ip4 } from '../wire/ip';

export type RouteType =
  'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit';

/** One route as `ip route` knows it. */
export interface Route {
  type: RouteType;
  dst: Cidr4;
  dev: string | null;
  via: Ip4 | null;
  src: Ip4 | null;
  /** 80 is the number Calico's Felix gives its routes; iproute2 has no name for it. */
  proto: 'kernel' | 'boot' | 'static' | 'bird' | 80 | null;
  scope: 'host' | 'link' | 'global';
  metric: number;
  onlink: boolean;
}

/** A routing table: the kernel's FIB, looked up by longest prefix, then lowest metric. */
export class RouteTable {
  readonly routes: Route[] = [];
  constructor(
    readonly name: string,
    readonly id: number,
  ) {}

  add(route: Route): void {
    this.routes.push(route);
  }

  lookup(dst: Ip4): Route | undefined {
    let best: Route | undefined;
    for (const r of this.routes) {
      if (!cidrContains(r.dst, dst)) continue;
      if (
        !best ||
        r.dst.len > best.dst.len ||
        (r.dst.len === best.dst.len && r.metric < best.metric)
      ) {
        best = r;
      }
    }
    return best;
  }
}

export function route(partial: Partial<Route> & { dst: Cidr4 }): Route {
  return {
    type: 'unicast',
    dev: null,
    via: null,
    src: null,
    proto: null,
    scope: 'global',
    metric: 0,
    onlink: false,
    ...partial,
  };
}

function dstText(r: Route): string {
  if (r.dst.len === 0 && r.type === 'unicast') return 'default';
  return r.dst.len === 32 ? formatIp4(r.dst.addr) : formatCidr4(r.dst);
}

/** The route as `ip route show` prints it: dst, via, dev, table, proto, scope, src, metric, onlink. */
export function formatRoute(r: Route, table?: string): string {
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(r.type);
  parts.push(dstText(r));
  if (r.via !== null) parts.push('via', formatIp4(r.via));
  if (r.dev !== null) parts.push('dev', r.dev);
  if (table && table !== 'main') parts.push('table', table);
  // `proto boot` is what `ip route add` gives by default, and iproute2 leaves it out.
  if (r.proto !== null && r.proto !== 'boot') parts.push('proto', String(r.proto));
  if (r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src !== null) parts.push('src', formatIp4(r.src));
  if (r.metric !== 0) parts.push('metric', String(r.metric));
  if (r.onlink) parts.push('onlink');
  return parts.join(' ');
}
