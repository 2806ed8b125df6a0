import { parseIp4 } from '../wire/ip';
import type { EndpointSpec } from './trace-types';

export type ParsedEndpoint =
  | { ok: true; endpoint: EndpointSpec; port?: number; url?: { host: string; path: string } }
  | { ok: false; error: string };

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `NS/NAME` or `NAME` (namespace default), each a DNS-1123 name. */
function nsName(text: string): { namespace: string; name: string } | undefined {
  const parts = text.split('/');
  const [a, b] = parts;
  if (parts.length === 1 && a && NAME.test(a)) return { namespace: 'default', name: a };
  if (parts.length === 2 && a && b && NAME.test(a) && NAME.test(b))
    return { namespace: a, name: b };
  return undefined;
}

/** Splits a trailing `:PORT` off. */
function withPort(text: string): { head: string; port?: number } | { error: string } {
  const at = text.lastIndexOf(':');
  if (at < 0) return { head: text };
  const port = parsePort(text.slice(at + 1));
  if (port === undefined) return { error: `"${text.slice(at + 1)}" is not a port (1-65535)` };
  return { head: text.slice(0, at), port };
}

const DNS_TYPES = ['A', 'SRV', 'PTR', 'CNAME'] as const;
/** Labels of letters, digits, `-` and `_` (SRV names), 1-63 characters; an optional final dot. */
const DNS_NAME =
  /^(?=.{1,253}\.?$)([a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?)*\.?$/;

/** `dns:NAME` or `dns:NAME/TYPE` (A, SRV, PTR, CNAME; default A). A PTR of an address is its in-addr.arpa name. */
function parseDns(rest: string, text: string): ParsedEndpoint {
  const slash = rest.lastIndexOf('/');
  const name = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  const typeText = slash < 0 ? 'A' : rest.slice(slash + 1).toUpperCase();
  const type = DNS_TYPES.find((t) => t === typeText);
  if (!type)
    return { ok: false, error: `"${text}": the query type must be one of ${DNS_TYPES.join(', ')}` };
  if (!DNS_NAME.test(name))
    return { ok: false, error: `"${text}" is not dns:NAME or dns:NAME/TYPE` };
  const ptr =
    type === 'PTR' && parseIp4(name.replace(/\.$/, '')) !== undefined
      ? `${name.replace(/\.$/, '').split('.').reverse().join('.')}.in-addr.arpa.`
      : name;
  const endpoint: EndpointSpec =
    type === 'A' ? { kind: 'dns', name: ptr } : { kind: 'dns', name: ptr, type };
  return { ok: true, endpoint, port: 53 };
}

/**
 * Parses a flow endpoint in the CLI's syntax (DESIGN.md §4): `pod:[NS/]NAME`, `node:NAME`,
 * `svc:[NS/]NAME:PORT`, `ip:A.B.C.D[:PORT]`, `ext:NAME`, `dns:NAME[/TYPE]` (a DNS
 * query), or an `http(s)://HOST[:PORT]/PATH` URL. Pods and nodes also take an optional `:PORT` (an extension: it picks the port).
 */
export function parseEndpoint(text: string): ParsedEndpoint {
  const url = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([/?][^#]*)?$/i.exec(text);
  if (url) {
    const [, schemeText, hostText, portText, pathText] = url;
    const scheme = schemeText!.toLowerCase() === 'https' ? 'https' : 'http';
    const port = portText === undefined ? (scheme === 'https' ? 443 : 80) : parsePort(portText);
    if (port === undefined) return { ok: false, error: `"${portText}" is not a port (1-65535)` };
    const host = hostText!.toLowerCase();
    if (parseIp4(host) === undefined && !NAME.test(host))
      return { ok: false, error: `"${hostText}" is not a host name or an IPv4 address` };
    const path =
      pathText === undefined ? '/' : pathText.startsWith('?') ? `/${pathText}` : pathText;
    const endpoint: EndpointSpec =
      portText === undefined
        ? { kind: 'url', scheme, host, path }
        : { kind: 'url', scheme, host, port, path };
    return { ok: true, endpoint, port, url: { host, path } };
  }
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  const bad = (what: string): ParsedEndpoint => ({
    ok: false,
    error: `"${text}" is not ${what}`,
  });
  switch (kind) {
    case 'pod':
    case 'node': {
      const split = withPort(rest);
      if ('error' in split) return { ok: false, error: split.error };
      if (kind === 'node') {
        if (!NAME.test(split.head)) return bad('node:NAME');
        return { ok: true, endpoint: { kind: 'node', name: split.head }, port: split.port };
      }
      const n = nsName(split.head);
      if (!n) return bad('pod:NAME or pod:NS/NAME');
      return { ok: true, endpoint: { kind: 'pod', ...n }, port: split.port };
    }
    case 'svc': {
      const split = withPort(rest);
      if ('error' in split) return { ok: false, error: split.error };
      const n = nsName(split.head);
      if (!n || split.port === undefined) return bad('svc:NAME:PORT or svc:NS/NAME:PORT');
      return { ok: true, endpoint: { kind: 'svc', ...n, port: split.port }, port: split.port };
    }
    case 'ip': {
      const split = withPort(rest);
      if ('error' in split) return { ok: false, error: split.error };
      if (parseIp4(split.head) === undefined) return bad('ip:A.B.C.D or ip:A.B.C.D:PORT');
      const endpoint: EndpointSpec =
        split.port === undefined
          ? { kind: 'ip', ip: split.head }
          : { kind: 'ip', ip: split.head, port: split.port };
      return { ok: true, endpoint, port: split.port };
    }
    case 'ext':
      if (!NAME.test(rest)) return bad('ext:NAME');
      return { ok: true, endpoint: { kind: 'ext', name: rest } };
    case 'dns':
      return parseDns(rest, text);
    default:
      return {
        ok: false,
        error: `"${text}" is not an endpoint: use pod:NAME, node:NAME, svc:NAME:PORT, ip:A.B.C.D[:PORT], ext:NAME, dns:NAME[/TYPE] or a URL http://HOST[:PORT]/PATH`,
      };
  }
}
