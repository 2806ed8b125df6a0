import { parseArgs } from 'node:util';
import { DUMP_WHATS, parseEndpoint, type DumpWhat, type FlowSpec } from '../engine';
import { VARIANTS, variantId } from '../scenarios/variants';

export const USAGE = `usage:
  packetwalk trace FILE... --from SRC --to DST [--proto tcp|udp|icmp] [--resolve HOST:IP] [--seed N] [--json]
  packetwalk dump  FILE... --node NAME --what WHAT [--json]
  packetwalk compare FILE... --from SRC --to DST --with PLANE [--proto tcp|udp|icmp] [--seed N] [--json]
  packetwalk check FILE...

  FILE  multi-document Kubernetes YAML; - reads standard input
  SRC, DST  pod:[NS/]NAME  node:NAME  svc:[NS/]NAME:PORT  ip:A.B.C.D[:PORT]  ext:NAME
            (DST may also be http://HOST[:PORT]/PATH: an HTTP request, HOST from --resolve,
             a client's hosts entry or an IP; or dns:NAME[/A|SRV|PTR|CNAME]: a DNS query)
  WHAT  ${DUMP_WHATS.join(' | ')}
  PLANE ${VARIANTS.map(variantId).join(' | ')}`;

export type Command =
  | { cmd: 'help' }
  | { cmd: 'check'; files: string[] }
  | { cmd: 'dump'; files: string[]; node: string; what: DumpWhat; json: boolean }
  | {
      cmd: 'trace';
      files: string[];
      flow: FlowSpec;
      seed: number;
      json: boolean;
      resolve: Record<string, string>;
      url?: { host: string; path: string };
    }
  | {
      cmd: 'compare';
      files: string[];
      flow: FlowSpec;
      seed: number;
      json: boolean;
      /** A data plane id of src/scenarios/variants.ts ("proxy:ipvs", "cni:calico-bgp"). */
      with: string;
    };

/** A usage error: the CLI prints it with the usage text and exits 2. */
export class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`missing ${flag}`);
  return value;
}

/** Parses the command line of DESIGN.md §4 into a command, or throws a UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h')
    return { cmd: 'help' };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        proto: { type: 'string' },
        resolve: { type: 'string', multiple: true },
        seed: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
        node: { type: 'string' },
        what: { type: 'string' },
        with: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: v, positionals: files } = parsed;
  if (files.length === 0) throw new UsageError('no FILE given (use - for standard input)');
  switch (cmd) {
    case 'check':
      return { cmd, files };
    case 'dump': {
      const what = need(v.what, '--what');
      if (!(DUMP_WHATS as readonly string[]).includes(what))
        throw new UsageError(`--what must be one of: ${DUMP_WHATS.join(', ')}`);
      return { cmd, files, node: need(v.node, '--node'), what: what as DumpWhat, json: v.json };
    }
    case 'trace':
      return { cmd, files, ...traceArgs(v) };
    case 'compare': {
      const t = traceArgs(v);
      if (t.url) throw new UsageError('compare: a URL destination is not supported yet');
      const plane = need(v.with, '--with');
      if (!VARIANTS.some((x) => variantId(x) === plane))
        throw new UsageError(`--with must be one of: ${VARIANTS.map(variantId).join(', ')}`);
      return { cmd, files, flow: t.flow, seed: t.seed, json: t.json, with: plane };
    }
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}

type Values = {
  from?: string;
  to?: string;
  proto?: string;
  resolve?: string[];
  seed: string;
  json: boolean;
};

/** --from, --to, --proto, --resolve and --seed: the flow of `trace` (and of `compare`). */
function traceArgs(v: Values): Omit<Extract<Command, { cmd: 'trace' }>, 'cmd' | 'files'> {
  const from = parseEndpoint(need(v.from, '--from'));
  if (!from.ok) throw new UsageError(`--from: ${from.error}`);
  if (from.url) throw new UsageError('--from: a URL can only be a destination');
  const to = parseEndpoint(need(v.to, '--to'));
  if (!to.ok) throw new UsageError(`--to: ${to.error}`);
  const proto = v.proto ?? (to.endpoint.kind === 'dns' ? 'udp' : 'tcp');
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp')
    throw new UsageError('--proto must be tcp, udp or icmp');
  if (to.endpoint.kind === 'dns' && proto !== 'udp')
    throw new UsageError(
      '--to dns:NAME is a query over UDP to port 53 (DNS over TCP is not modelled): leave out --proto or use --proto udp',
    );
  if (!/^\d{1,10}$/.test(v.seed)) throw new UsageError('--seed must be a whole number');
  const resolve: Record<string, string> = {};
  for (const r of v.resolve ?? []) {
    const m = /^([^:]+):(?:\d+:)?(\d+\.\d+\.\d+\.\d+)$/.exec(r);
    if (!m) throw new UsageError(`--resolve ${r}: expected HOST:IP`);
    resolve[m[1]!] = m[2]!;
  }
  const flow: FlowSpec = {
    from: from.endpoint,
    to: to.endpoint,
    proto: to.url ? 'tcp' : proto,
    ...(to.port !== undefined ? { port: to.port } : {}),
  };
  return {
    flow,
    seed: Number(v.seed) >>> 0,
    json: v.json,
    resolve,
    ...(to.url ? { url: to.url } : {}),
  };
}
