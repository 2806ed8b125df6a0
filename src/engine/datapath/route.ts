import type { Netns } from '../kernel/netns';
import { formatRoute, type Route, type RouteTable } from '../kernel/routing';
import type { Ip4 } from '../wire/ip';

export interface RouteResult {
  route: Route | null;
  table: RouteTable;
}

/** `ip route get`: the local table first, then main (the default policy rules 0 and 32766). */
export function lookupRoute(ns: Netns, dst: Ip4): RouteResult {
  const local = ns.tables.local.lookup(dst);
  if (local) return { route: local, table: ns.tables.local };
  const main = ns.tables.main.lookup(dst);
  return { route: main ?? null, table: ns.tables.main };
}

export function routeText(r: RouteResult): string | null {
  return r.route ? formatRoute(r.route, r.table.name) : null;
}
