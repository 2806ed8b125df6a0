import { isMap, LineCounter, parseDocument, type Node } from 'yaml';
import type { SourcePos } from '../engine/diagnostics';
import type { FlannelNetConf } from '../engine/kube/objects';
import { Ctx, Fields } from './context';
import { embeddedOrigin } from './kube-proxy-config';
import { cidrProblem } from './validate';

/** The backends Packetwalk models; flanneld knows more (wireguard, ipip, alloc, ...). */
const BACKENDS = ['vxlan', 'host-gw', 'udp'] as const;

/**
 * `//` comments, as tutorials (seed 000 §4.4) write them inside net-conf.json. Blanked with
 * spaces so every other character keeps its line and column.
 */
function blankComments(text: string): { text: string; at: { line: number; col: number }[] } {
  const at: { line: number; col: number }[] = [];
  const lines = text.split('\n').map((line, i) => {
    let inString = false;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (ch === '"' && line[c - 1] !== '\\') inString = !inString;
      if (!inString && ch === '/' && line[c + 1] === '/') {
        at.push({ line: i + 1, col: c + 1 });
        return line.slice(0, c) + ' '.repeat(line.length - c);
      }
    }
    return line;
  });
  return { text: lines.join('\n'), at };
}

/**
 * The kube-flannel-cfg ConfigMap's `net-conf.json`: JSON in a YAML string. JSON is YAML too, so
 * the same reader gives every key its line; diagnostics point into the ConfigMap's text.
 */
export function readFlannelNetConf(data: Fields, key: string): FlannelNetConf | undefined {
  const raw = (data.raw(key) as { value?: unknown } | undefined)?.value;
  if (typeof raw !== 'string') return undefined;
  const origin = embeddedOrigin(data, key);
  const shift = (p: SourcePos): SourcePos => ({
    file: p.file,
    line: origin.line + p.line - 1,
    col: p.col + origin.indent,
  });
  const report = (p: SourcePos, severity: 'error' | 'warning', code: string, message: string) =>
    data.ctx.report(shift(p), severity, code, message);
  const { text, at } = blankComments(raw);
  for (const c of at)
    report(
      { file: data.ctx.file, ...c },
      'warning',
      'PW1073',
      "net-conf.json: JSON has no comments; flanneld would refuse this file (invalid character '/'), Packetwalk reads it without the comment",
    );
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const root = doc.contents as Node | null;
  if (doc.errors.length > 0 || !isMap(root)) {
    const e = doc.errors[0];
    const p = e ? lines.linePos(e.pos[0]) : { line: 1, col: 1 };
    report(
      { file: data.ctx.file, ...p },
      'error',
      'PW1070',
      `net-conf.json: ${e ? e.message.split('\n')[0] : 'must be a JSON object'}`,
    );
    return undefined;
  }
  const inner = new Ctx(data.ctx.file, lines, text);
  const f = new Fields(inner, root, '');
  const conf: FlannelNetConf = { source: data.posOf(key) };
  const network = f.str('Network');
  if (network !== undefined) {
    const problem = cidrProblem(network);
    if (problem) f.invalid('Network', network, problem, 'PW1072');
    else {
      conf.network = network;
      conf.networkSource = shift(f.posOf('Network'));
    }
  } else if (!f.has('Network')) f.missing('Network', 'PW1072');
  const backend = f.map('Backend');
  const type = backend?.str('Type');
  if (type !== undefined) {
    const lower = type.toLowerCase();
    if ((BACKENDS as readonly string[]).includes(lower))
      conf.backendType = lower as FlannelNetConf['backendType'];
    else
      inner.report(
        backend!.posOf('Type'),
        'error',
        'PW1071',
        `net-conf.json: Backend.Type "${type}" is not a backend Packetwalk models: use "vxlan", "host-gw" or "udp"`,
      );
  }
  const vni = backend?.int('VNI');
  if (vni !== undefined) {
    if (vni < 0 || vni > 0xffffff)
      backend!.invalid('VNI', vni, 'must be within [0, 16777215]', 'PW1074');
    else conf.vni = vni;
  }
  const port = backend?.int('Port');
  if (port !== undefined) {
    if (port < 1 || port > 65535)
      backend!.invalid('Port', port, 'must be within [1, 65535]', 'PW1074');
    else conf.port = port;
  }
  const direct = backend?.bool('DirectRouting');
  if (direct !== undefined) conf.directRouting = direct;
  for (const d of inner.diagnostics) data.ctx.diagnostics.push({ ...d, ...shift(d) });
  return conf;
}
