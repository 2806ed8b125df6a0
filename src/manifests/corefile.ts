import type { SourcePos } from '../engine/diagnostics';
import type { CorefileConfig } from '../engine/kube/objects';
import type { Fields } from './context';
import { embeddedOrigin } from './kube-proxy-config';

/**
 * The plugins Packetwalk reads (kubernetes, forward, cache) or knows to make no difference to
 * one query's path (errors, health, ready, prometheus, loop, reload, loadbalance, log). Any
 * other plugin is reported (PW1079) and ignored.
 */
const KNOWN = new Set([
  'kubernetes',
  'forward',
  'cache',
  'errors',
  'health',
  'ready',
  'prometheus',
  'loop',
  'reload',
  'loadbalance',
  'log',
  'debug',
  'whoami',
]);

interface Token {
  text: string;
  line: number;
  col: number;
}

/** One directive: a plugin with its arguments and the lines of its own `{ }` block. */
export interface Directive {
  name: Token;
  args: Token[];
  block: Directive[];
}

export interface ServerBlock {
  keys: Token[];
  directives: Directive[];
}

export type CorefileParse =
  { ok: true; blocks: ServerBlock[] } | { ok: false; line: number; col: number; message: string };

/** Words, braces and line ends; `#` starts a comment; quotes group a word. */
function tokenize(text: string): (Token | 'nl')[] {
  const out: (Token | 'nl')[] = [];
  text.split('\n').forEach((line, i) => {
    let c = 0;
    while (c < line.length) {
      const ch = line[c]!;
      if (ch === '#') break;
      if (ch === ' ' || ch === '\t' || ch === '\r') {
        c++;
        continue;
      }
      if (ch === '{' || ch === '}') {
        out.push({ text: ch, line: i + 1, col: c + 1 });
        c++;
        continue;
      }
      const start = c;
      if (ch === '"') {
        const end = line.indexOf('"', c + 1);
        c = end < 0 ? line.length : end + 1;
        out.push({
          text: line.slice(start + 1, end < 0 ? undefined : end),
          line: i + 1,
          col: start + 1,
        });
        continue;
      }
      while (c < line.length && !/[\s{}#]/.test(line[c]!)) c++;
      out.push({ text: line.slice(start, c), line: i + 1, col: start + 1 });
    }
    out.push('nl');
  });
  return out;
}

/**
 * Caddyfile syntax as CoreDNS reads it: server blocks `KEY... {`, one directive per line,
 * a directive's own block in braces.
 */
export function parseCorefile(text: string): CorefileParse {
  const toks = tokenize(text);
  let i = 0;
  const skipNl = () => {
    while (toks[i] === 'nl') i++;
  };
  const fail = (t: Token | undefined, message: string): CorefileParse => ({
    ok: false,
    line: t?.line ?? text.split('\n').length,
    col: t?.col ?? 1,
    message,
  });
  function lines(open: Token): Directive[] | CorefileParse {
    const out: Directive[] = [];
    for (;;) {
      skipNl();
      const t = toks[i];
      if (t === undefined) return fail(open, 'unexpected end of file: "{" is never closed');
      if (t === 'nl') continue;
      i++;
      if (t.text === '}') return out;
      if (t.text === '{') return fail(t, 'unexpected "{"');
      const args: Token[] = [];
      let block: Directive[] = [];
      while (toks[i] !== undefined && toks[i] !== 'nl') {
        const a = toks[i] as Token;
        if (a.text === '}') break;
        i++;
        if (a.text === '{') {
          const inner = lines(a);
          if (!Array.isArray(inner)) return inner;
          block = inner;
          break;
        }
        args.push(a);
      }
      out.push({ name: t, args, block });
    }
  }
  const blocks: ServerBlock[] = [];
  for (;;) {
    skipNl();
    if (i >= toks.length) break;
    const keys: Token[] = [];
    let open: Token | undefined;
    while (i < toks.length) {
      const t = toks[i++]!;
      if (t === 'nl') continue;
      if (t.text === '{') {
        open = t;
        break;
      }
      if (t.text === '}') return fail(t, 'unexpected "}"');
      keys.push(t);
    }
    if (!open) return fail(keys[0], 'a server block needs "{" after its zones');
    if (keys.length === 0)
      return fail(open, 'a server block needs a zone before "{" (e.g. ".:53")');
    const directives = lines(open);
    if (!Array.isArray(directives)) return directives;
    blocks.push({ keys, directives });
  }
  return { ok: true, blocks };
}

function portOf(key: string): number {
  const m = /:(\d+)$/.exec(key);
  return m ? Number(m[1]) : 53;
}

/**
 * Reads the first server block that has the `kubernetes` plugin into a CorefileConfig. `at`
 * turns a position in the Corefile into one in the manifest; `report` files a diagnostic.
 */
export function corefileConfig(
  blocks: readonly ServerBlock[],
  source: SourcePos,
  report: (t: Token, severity: 'error' | 'warning', code: string, message: string) => void,
): CorefileConfig | undefined {
  const block = blocks.find((b) => b.directives.some((d) => d.name.text === 'kubernetes'));
  if (!block) {
    report(
      blocks[0]?.keys[0] ?? { text: '', line: 1, col: 1 },
      'warning',
      'PW1080',
      'Corefile: no server block has the kubernetes plugin; CoreDNS would not answer cluster names',
    );
    return undefined;
  }
  const conf: CorefileConfig = {
    port: portOf(block.keys[0]!.text),
    kubernetesZones: [],
    pods: 'disabled',
    ttl: 5,
    forward: null,
    cache: null,
    plugins: block.directives.map((d) => d.name.text),
    source,
  };
  for (const d of block.directives) {
    const name = d.name.text;
    if (!KNOWN.has(name)) {
      report(
        d.name,
        'warning',
        'PW1079',
        `Corefile: plugin "${name}" is not modelled; Packetwalk answers as if it were not there`,
      );
      continue;
    }
    if (name === 'kubernetes') {
      conf.kubernetesZones = d.args.map((a) => a.text.replace(/\.$/, ''));
      for (const o of d.block) {
        const v = o.args[0]?.text;
        if (o.name.text === 'pods' && (v === 'insecure' || v === 'verified' || v === 'disabled'))
          conf.pods = v;
        else if (o.name.text === 'ttl' && v !== undefined && /^\d+$/.test(v)) {
          const n = Number(v);
          if (n > 3600)
            report(o.args[0]!, 'error', 'PW1080', 'Corefile: kubernetes ttl must be 0-3600');
          else conf.ttl = n;
        }
      }
    } else if (name === 'forward') {
      conf.forward = d.args.slice(1).map((a) => a.text);
      if (d.args.length < 2)
        report(d.name, 'error', 'PW1080', 'Corefile: forward needs a zone and an upstream');
    } else if (name === 'cache') {
      const v = d.args[0]?.text;
      conf.cache = v !== undefined && /^\d+$/.test(v) ? Number(v) : 3600;
    }
  }
  if (conf.kubernetesZones.length === 0) conf.kubernetesZones = block.keys.map((k) => k.text);
  return conf;
}

/** The kube-system/coredns ConfigMap's `Corefile`, its diagnostics on the manifest's lines. */
export function readCorefile(data: Fields, key: string): CorefileConfig | undefined {
  const raw = (data.raw(key) as { value?: unknown } | undefined)?.value;
  if (typeof raw !== 'string') return undefined;
  const origin = embeddedOrigin(data, key);
  const shift = (p: { line: number; col: number }): SourcePos => ({
    file: data.ctx.file,
    line: origin.line + p.line - 1,
    col: p.col + origin.indent,
  });
  const parsed = parseCorefile(raw);
  if (!parsed.ok) {
    data.ctx.report(shift(parsed), 'error', 'PW1080', `Corefile: ${parsed.message}`);
    return undefined;
  }
  return corefileConfig(parsed.blocks, data.posOf(key), (t, severity, code, message) =>
    data.ctx.report(shift(t), severity, code, message),
  );
}
