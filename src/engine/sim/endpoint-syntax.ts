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

/**
 * Parses a flow endpoint in the CLI's syntax (DESIGN.md §4): `pod:[NS/]NAME`, `node:NAME`,
 * `svc:[NS/]NAME:PORT`, `ip:A.B.C.D[:PORT]`, `ext:NAME`, or an `http(s)://HOST[:PORT]/PATH`
 * URL. Pods and nodes also take an optional `:PORT` (an extension: it picks the port).
 */
export function parseEndpoint(text: string): ParsedEndpoint {
  const url = /^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(text);
  if (url) {
    const [, scheme, host, portText, path] = url;
    const port = portText === undefined ? (scheme === 'https' ? 443 : 80) : parsePort(portText);
    if (port === undefined) return { ok: false, error: `"${portText}" is not a port (1-65535)` };
    const ip = parseIp4(host!);
    const url2 = { host: host!, path: path ?? '/' };
    if (ip !== undefined)
      return { ok: true, endpoint: { kind: 'ip', ip: host!, port }, port, url: url2 };
    return { ok: true, endpoint: { kind: 'ext', name: host! }, port, url: url2 };
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
    default:
      return {
        ok: false,
        error: `"${text}" is not an endpoint: use pod:NAME, node:NAME, svc:NAME:PORT, ip:A.B.C.D[:PORT], ext:NAME or a URL`,
      };
  }
}
