import type { IngressLocationModel, IngressModel, IngressServerModel } from './model';

/**
 * How the nginx that ingress-nginx configures picks a server and a location for a request
 * (docs/INGRESS.md): the server whose server_name is the Host exactly, else the longest
 * `*.suffix` wildcard (one label, as the Ingress spec says), else the default server `_`. In
 * it: app-root on `/` (302), ssl-redirect when the host has TLS (308); then the location — an
 * exact `= /p` location first (Exact paths, and the twin ingress-nginx adds for each Prefix
 * path), else the longest prefix location (a Prefix path `/p` is `location /p/`, so it matches
 * whole path elements only; ImplementationSpecific is a plain nginx prefix). In a server
 * where any path uses regex (use-regex, or a rewrite-target), every location is
 * `location ~* "^PATH"`, tried longest first; the first that matches wins.
 */

export interface HttpRequestSpec {
  scheme: 'http' | 'https';
  /** The Host header without its port. */
  host: string;
  /** The Host header as sent ("foo.bar.com:30080"). */
  hostHeader: string;
  /** The request URI: path and query. */
  uri: string;
}

export type IngressDecision =
  | {
      kind: 'proxy';
      server: IngressServerModel;
      location: IngressLocationModel;
      /** The location as nginx.conf spells it: `= /foo`, `/foo/`, `~* "^/foo"`. */
      nginx: string;
      /** The URI sent upstream (rewritten when rewrite-target applies). */
      upstreamUri: string;
    }
  | {
      kind: 'redirect';
      server: IngressServerModel;
      location?: IngressLocationModel;
      nginx?: string;
      status: 302 | 308;
      to: string;
      why: 'app-root' | 'ssl-redirect';
    }
  | {
      kind: 'default';
      server: IngressServerModel;
      location: IngressLocationModel;
      nginx: string;
      status: 404;
    };

export function selectServer(servers: readonly IngressServerModel[], host: string) {
  const h = host.toLowerCase();
  const exact = servers.find((s) => s.name === h);
  if (exact) return exact;
  const wild = servers
    .filter((s) => s.name.startsWith('*.'))
    .filter((s) => {
      const suffix = s.name.slice(1); // ".foo.com"
      const label = h.slice(0, h.length - suffix.length);
      return h.endsWith(suffix) && label.length > 0 && !label.includes('.');
    })
    .sort((a, b) => b.name.length - a.name.length)[0];
  return wild ?? servers.find((s) => s.name === '_');
}

function prefixOf(l: IngressLocationModel): string {
  return l.pathType === 'Prefix' && !l.path.endsWith('/') ? `${l.path}/` : l.path;
}

export function nginxLocation(l: IngressLocationModel, regex: boolean, exact = false): string {
  if (regex) return `~* "^${l.path}"`;
  if (l.pathType === 'Exact' || exact) return `= ${l.path}`;
  return prefixOf(l);
}

/** The location nginx picks for a path, and how nginx.conf spells it; undefined: none. */
export function selectLocation(
  s: IngressServerModel,
  path: string,
): { location: IngressLocationModel; nginx: string } | undefined {
  if (s.regex) {
    for (const l of s.locations)
      if (new RegExp(`^${l.path}`, 'i').test(path))
        return { location: l, nginx: nginxLocation(l, true) };
    return undefined;
  }
  const exact =
    s.locations.find((l) => l.pathType === 'Exact' && l.path === path) ??
    s.locations.find((l) => l.pathType === 'Prefix' && l.path === path && !path.endsWith('/'));
  if (exact) return { location: exact, nginx: nginxLocation(exact, false, true) };
  let best: IngressLocationModel | undefined;
  for (const l of s.locations) {
    if (l.pathType === 'Exact') continue;
    const p = prefixOf(l);
    if (path.startsWith(p) && (!best || p.length > prefixOf(best).length)) best = l;
  }
  return best && { location: best, nginx: nginxLocation(best, false) };
}

/** rewrite "(?i)PATH" TARGET break; — the whole URI becomes TARGET with $1..$9 filled in. */
export function rewriteUri(path: string, target: string, uri: string): string {
  const m = new RegExp(path, 'i').exec(uri);
  if (!m) return uri;
  return target.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}

export function routeRequest(model: IngressModel, req: HttpRequestSpec): IngressDecision {
  const server = selectServer(model.servers, req.host)!;
  const q = req.uri.indexOf('?');
  const path = q < 0 ? req.uri : req.uri.slice(0, q);
  const args = q < 0 ? '' : req.uri.slice(q);
  if (server.appRoot !== undefined && path === '/')
    return {
      kind: 'redirect',
      server,
      status: 302,
      to: `${req.scheme}://${req.hostHeader}${server.appRoot}`,
      why: 'app-root',
    };
  const picked = selectLocation(server, path);
  const location = picked?.location ?? server.locations[server.locations.length - 1]!;
  const nginx = picked?.nginx ?? nginxLocation(location, server.regex);
  if (req.scheme === 'http' && server.tls && location.sslRedirect && location.backend)
    return {
      kind: 'redirect',
      server,
      location,
      nginx,
      status: 308,
      to: `https://${req.host}${req.uri}`,
      why: 'ssl-redirect',
    };
  if (!location.backend) return { kind: 'default', server, location, nginx, status: 404 };
  const rewritten =
    location.rewriteTarget !== undefined && location.rewriteTarget !== location.path
      ? rewriteUri(location.path, location.rewriteTarget, path) + args
      : req.uri;
  return { kind: 'proxy', server, location, nginx, upstreamUri: rewritten };
}
