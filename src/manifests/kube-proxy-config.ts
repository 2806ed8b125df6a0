import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { SourcePos } from '../engine/diagnostics';
import type { KubeProxyConfig } from '../engine/kube/objects';
import { Ctx, Fields } from './context';
import { cidrProblem } from './validate';

const MODES = ['iptables', 'ipvs', 'nftables', 'userspace', ''] as const;

/**
 * Where the embedded document starts in the file: a block scalar (`config.conf: |`) begins on
 * the line after its indicator, indented; a quoted or plain scalar is taken at its own place.
 * Embedded line k, column c then sits at file line start+k, column c+indent.
 */
export function embeddedOrigin(data: Fields, key: string): { line: number; indent: number } {
  const node = data.raw(key);
  const at = data.posOf(key);
  const text = data.ctx.text;
  const offset = node?.range?.[0];
  if (!isScalar(node) || offset === undefined || !text) return { line: at.line, indent: 0 };
  if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')
    return { line: at.line, indent: at.col };
  const nl = text.indexOf('\n', offset);
  const first = text.slice(nl + 1).match(/^ */)?.[0].length ?? 0;
  return { line: at.line + 1, indent: first };
}

/**
 * The kube-system/kube-proxy ConfigMap's `config.conf`: a KubeProxyConfiguration document in a
 * string. It is parsed as YAML of its own; its diagnostics point into the ConfigMap's text.
 */
export function readKubeProxyConfig(data: Fields, key: string): KubeProxyConfig | undefined {
  const origin = embeddedOrigin(data, key);
  const lines = new LineCounter();
  const text = (data.raw(key) as { value?: unknown } | undefined)?.value;
  if (typeof text !== 'string') return undefined;
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const inner = new Ctx(data.ctx.file, lines, text);
  const shift = (p: SourcePos): SourcePos => ({
    file: p.file,
    line: origin.line + p.line - 1,
    col: p.col + origin.indent,
  });
  const report = (p: SourcePos, code: string, message: string) =>
    data.ctx.report(shift(p), 'error', code, message);
  const root = doc.contents as Node | null;
  if (doc.errors.length > 0 || !isMap(root)) {
    const e = doc.errors[0];
    const p = e ? lines.linePos(e.pos[0]) : { line: 1, col: 1 };
    report(
      { file: data.ctx.file, ...p },
      'PW1001',
      `config.conf: ${e ? e.message.split('\n')[0] : 'must be a KubeProxyConfiguration mapping'}`,
    );
    return undefined;
  }
  const f = new Fields(inner, root, '');
  const kind = f.str('kind');
  if (kind !== undefined && kind !== 'KubeProxyConfiguration')
    f.invalid('kind', kind, 'config.conf must hold a KubeProxyConfiguration');
  const cfg: KubeProxyConfig = { source: data.posOf(key) };
  const mode = f.str('mode');
  if (mode !== undefined) {
    if ((MODES as readonly string[]).includes(mode)) cfg.mode = mode as KubeProxyConfig['mode'];
    else
      f.ctx.report(
        f.posOf('mode'),
        'error',
        'PW1013',
        `KubeProxyConfiguration.mode: Unsupported value: "${mode}": supported values: "iptables", "ipvs", "nftables"`,
      );
  }
  const cidr = f.str('clusterCIDR');
  if (cidr !== undefined && cidr !== '') {
    const problem = cidrProblem(cidr.split(',')[0]!);
    if (problem) f.invalid('clusterCIDR', cidr, problem);
    else cfg.clusterCIDR = cidr.split(',')[0]!;
  }
  const all = f.bool('masqueradeAll');
  if (all !== undefined) cfg.masqueradeAll = all;
  const ipt = f.map('iptables');
  const bit = ipt?.int('masqueradeBit');
  if (bit !== undefined) {
    if (bit < 0 || bit > 31) ipt!.invalid('masqueradeBit', bit, 'must be within the range [0, 31]');
    else cfg.masqueradeBit = bit;
  }
  const lhnp = ipt?.bool('localhostNodePorts');
  if (lhnp !== undefined) cfg.localhostNodePorts = lhnp;
  const sched = f.map('ipvs')?.str('scheduler');
  if (sched) cfg.ipvsScheduler = sched;
  // Diagnostics were collected in the embedded context: move them onto the file's lines.
  for (const d of inner.diagnostics) data.ctx.diagnostics.push({ ...d, ...shift(d) });
  return cfg;
}
