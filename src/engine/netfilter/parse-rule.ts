/**
 * One `-A CHAIN …` line of iptables-restore input into a Rule. Options are dispatched the way
 * iptables does: `!` negates the next option, `--opt` goes to the latest loaded module that
 * knows it, and `--sport`/`--dport` with `-p tcp|udp` load the protocol's match implicitly
 * (which is why iptables-save shows `-m tcp` where the user never wrote it).
 */
import type { MatchModule, NatRange, Rule, Target } from './model';
import { moduleFinal, moduleOption, newModule } from './parse-match';
import { printRule } from './print-rule';
import {
  addrTest,
  fastIp4,
  parseNumber,
  parsePortRange,
  parseProto,
  parseValueMask,
} from './values';

export type ParsedRule = { ok: true; chain: string; rule: Rule } | { ok: false; error: string };

const REJECT_WITH: Record<string, string> = {
  'icmp-net-unreachable': 'icmp-net-unreachable',
  'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited',
  'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'icmp-admin-prohibited': 'icmp-admin-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-reset': 'tcp-reset',
  'tcp-rst': 'tcp-reset',
};
const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

function newTarget(name: string, goto: boolean): Target {
  if (goto) return { kind: 'GOTO', chain: name };
  switch (name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
    case 'TRACE':
    case 'NOTRACK':
      return { kind: name };
    case 'REJECT':
      return { kind: 'REJECT', with: 'icmp-port-unreachable' };
    case 'CT':
      return { kind: 'CT', notrack: false };
    case 'DNAT':
    case 'SNAT':
      return { kind: name, range: null, random: false, randomFully: false, persistent: false };
    case 'MASQUERADE':
    case 'REDIRECT':
      return { kind: name, ports: null, random: false, randomFully: false };
    case 'MARK':
      return { kind: 'MARK', value: -1, mask: 0 };
    case 'LOG':
      return { kind: 'LOG', prefix: null, level: 4 };
    default:
      return { kind: 'JUMP', chain: name };
  }
}

/** "10.0.0.1[-10.0.0.9][:80[-90]]", or ":80" for a port only. */
function natRange(v: string | undefined): NatRange | null {
  if (!v) return null;
  const colon = v.indexOf(':');
  const ips = colon < 0 ? v : v.slice(0, colon);
  const portsText = colon < 0 ? undefined : v.slice(colon + 1);
  let minIp = 0;
  let maxIp = 0;
  if (ips !== '') {
    const [a, b] = ips.split('-');
    const lo = a === undefined ? undefined : fastIp4(a);
    const hi = b === undefined ? lo : fastIp4(b);
    if (lo === undefined || hi === undefined || hi < lo) return null;
    minIp = lo;
    maxIp = hi;
  }
  if (portsText === undefined) return { minIp, maxIp, minPort: null, maxPort: null };
  const pr = parsePortRange(portsText, '-');
  return pr ? { minIp, maxIp, minPort: pr[0], maxPort: pr[1] } : null;
}

type Res = null | 'skip' | { error: string };

const MARK_OPTS = new Set(['--set-xmark', '--set-mark', '--or-mark', '--and-mark', '--xor-mark']);

function targetOption(t: Target, opt: string, arg: () => string | undefined): Res {
  const bad = (v: string | undefined): Res => ({ error: `bad value "${v ?? ''}" for ${opt}` });
  switch (t.kind) {
    case 'REJECT': {
      if (opt !== '--reject-with') return 'skip';
      const v = arg();
      const w = v === undefined ? undefined : REJECT_WITH[v];
      if (!w) return bad(v);
      t.with = w;
      return null;
    }
    case 'DNAT':
    case 'SNAT': {
      if (opt === (t.kind === 'DNAT' ? '--to-destination' : '--to-source')) {
        const v = arg();
        const r = natRange(v);
        if (!r) return bad(v);
        t.range = r;
      } else if (opt === '--random') t.random = true;
      else if (opt === '--random-fully') t.randomFully = true;
      else if (opt === '--persistent') t.persistent = true;
      else return 'skip';
      return null;
    }
    case 'MASQUERADE':
    case 'REDIRECT': {
      if (opt === '--to-ports') {
        const v = arg();
        const r = v === undefined ? null : parsePortRange(v, '-');
        if (!r) return bad(v);
        t.ports = r;
      } else if (opt === '--random') t.random = true;
      else if (opt === '--random-fully' && t.kind === 'MASQUERADE') t.randomFully = true;
      else return 'skip';
      return null;
    }
    case 'MARK': {
      const v = MARK_OPTS.has(opt) ? arg() : undefined;
      if (opt === '--set-xmark' || opt === '--set-mark') {
        const vm = parseValueMask(v);
        if (!vm) return bad(v);
        // libxt_MARK turns --set-mark v/m into the kernel's xmark form (clear m|v, then xor v).
        t.value = vm[0];
        t.mask = opt === '--set-mark' ? (vm[0] | vm[1]) >>> 0 : vm[1];
      } else if (opt === '--or-mark' || opt === '--and-mark' || opt === '--xor-mark') {
        const n = parseNumber(v);
        if (n === null) return bad(v);
        if (opt === '--or-mark') [t.value, t.mask] = [n, n];
        else if (opt === '--and-mark') [t.value, t.mask] = [0, ~n >>> 0];
        else [t.value, t.mask] = [n, 0];
      } else return 'skip';
      return null;
    }
    case 'LOG': {
      if (opt === '--log-prefix') {
        const v = arg();
        if (v === undefined) return bad(v);
        // The kernel keeps 29 characters; iptables warns and cuts the rest.
        t.prefix = v.slice(0, 29);
      } else if (opt === '--log-level') {
        const v = arg() ?? '';
        const n = /^[0-7]$/.test(v)
          ? Number(v)
          : LOG_LEVELS.indexOf(v === 'err' ? 'error' : v === 'warn' ? 'warning' : v);
        if (n < 0) return bad(v);
        t.level = n;
      } else return 'skip';
      return null;
    }
    case 'CT':
      if (opt !== '--notrack') return 'skip';
      t.notrack = true;
      return null;
    default:
      return 'skip';
  }
}

const TCPUDP_OPTS = new Set(['--sport', '--dport', '--source-port', '--destination-port']);

/** Parses the words of an `-A` line (words[0] is "-A"). */
export function parseRule(words: string[]): ParsedRule {
  const chain = words[1];
  if (!chain) return { ok: false, error: 'missing chain name after -A' };
  const rule: Rule = { text: '', matches: [], target: { kind: 'NONE' } };
  let neg = false;
  let targetSeen = false;
  let i = 2;
  const arg = () => words[++i];
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '!') {
      if (neg) return { ok: false, error: 'multiple "!" flags not allowed' };
      neg = true;
      continue;
    }
    switch (w) {
      case '-s':
      case '--source':
      case '-d':
      case '--destination': {
        const v = arg();
        const t = addrTest(v, neg);
        if (!t) return { ok: false, error: `host/network "${v ?? ''}" not found` };
        const key = w === '-s' || w === '--source' ? 'src' : 'dst';
        if (rule[key]) return { ok: false, error: `multiple ${w} flags not allowed` };
        // iptables-save leaves out a 0.0.0.0/0 that matches everything.
        if (t.len > 0 || t.neg) rule[key] = t;
        break;
      }
      case '-p':
      case '--protocol': {
        const v = arg() ?? '';
        const num = parseProto(v);
        if (num === null) return { ok: false, error: `unknown protocol "${v}" specified` };
        if (num !== 0 || neg) rule.proto = { num, neg };
        break;
      }
      case '-i':
      case '--in-interface':
      case '-o':
      case '--out-interface': {
        const v = arg() ?? '';
        if (v === '' || v.length > 15) return { ok: false, error: `bad interface name "${v}"` };
        const prefix = v.endsWith('+');
        const key = w === '-i' || w === '--in-interface' ? 'inIface' : 'outIface';
        rule[key] = { name: prefix ? v.slice(0, -1) : v, prefix, neg };
        break;
      }
      case '-m':
      case '--match': {
        const name = arg() ?? '';
        const m = newModule(name);
        if (!m) return { ok: false, error: `Couldn't load match \`${name}'` };
        rule.matches.push(m);
        break;
      }
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const name = arg() ?? '';
        if (targetSeen) return { ok: false, error: 'multiple -j flags not allowed' };
        if (!name) return { ok: false, error: `option "${w}" requires an argument` };
        rule.target = newTarget(name, w === '-g' || w === '--goto');
        targetSeen = true;
        break;
      }
      default: {
        if (!w.startsWith('--')) return { ok: false, error: `unknown option "${w}"` };
        let res: Res = 'skip';
        if (targetSeen) res = targetOption(rule.target, w, arg);
        for (let k = rule.matches.length - 1; res === 'skip' && k >= 0; k--)
          res = moduleOption(rule.matches[k]!, w, arg, neg);
        if (res === 'skip' && rule.proto && !rule.proto.neg) {
          const p = rule.proto.num;
          const implicit =
            (p === 6 && (TCPUDP_OPTS.has(w) || w === '--syn' || w === '--tcp-flags')) ||
            (p === 17 && TCPUDP_OPTS.has(w))
              ? newModule(p === 6 ? 'tcp' : 'udp')
              : p === 1 && w === '--icmp-type'
                ? newModule('icmp')
                : null;
          if (implicit) {
            rule.matches.push(implicit);
            res = moduleOption(implicit, w, arg, neg);
          }
        }
        if (res === 'skip') return { ok: false, error: `unknown option "${w}"` };
        if (res) return { ok: false, error: res.error };
      }
    }
    neg = false;
  }
  if (neg) return { ok: false, error: '"!" without an option after it' };
  for (const m of rule.matches) {
    const e = moduleFinal(m);
    if (e) return { ok: false, error: e };
    if ((m.mod === 'tcp' || m.mod === 'udp') && rule.proto?.num !== (m.mod === 'tcp' ? 6 : 17))
      return { ok: false, error: `match "${m.mod}" needs "-p ${m.mod}"` };
    if (m.mod === 'multiport' && ![6, 17, 132, 136].includes(rule.proto?.num ?? -1))
      return { ok: false, error: "multiport needs `-p tcp', `-p udp', `-p udplite' or `-p sctp'" };
  }
  const t = rule.target;
  if (t.kind === 'MARK' && t.value < 0)
    return { ok: false, error: 'MARK target: parameter is required' };
  if ((t.kind === 'DNAT' || t.kind === 'SNAT') && !t.range)
    return {
      ok: false,
      error: `${t.kind}: missing ${t.kind === 'DNAT' ? '--to-destination' : '--to-source'}`,
    };
  const portSpec =
    ((t.kind === 'DNAT' || t.kind === 'SNAT') && t.range?.minPort !== null && t.range !== null) ||
    ((t.kind === 'MASQUERADE' || t.kind === 'REDIRECT') && t.ports !== null);
  if (portSpec && (![6, 17, 132, 33].includes(rule.proto?.num ?? -1) || rule.proto?.neg))
    return { ok: false, error: 'Need TCP, UDP, SCTP or DCCP with port specification' };
  if (t.kind === 'REJECT' && t.with === 'tcp-reset' && rule.proto?.num !== 6)
    return { ok: false, error: 'REJECT --reject-with tcp-reset needs -p tcp' };
  rule.text = printRule(chain, rule);
  return { ok: true, chain, rule };
}

export type { MatchModule };
