/**
 * The options of each `-m MODULE` iptables knows here. Each parser takes one option of its
 * module and either consumes it (returning null), reports an error, or says it is not its own
 * ('skip') so the rule parser can offer it elsewhere.
 */
import { parseIp4 } from '../wire/ip';
import { ADDR_TYPES, CT_STATES, type MatchModule } from './model';
import { addrTest, parseNumber, parsePortRange, parseValueMask, portTest } from './values';

export type OptResult = null | 'skip' | { error: string };
type Arg = () => string | undefined;

export const TCP_FLAGS: [string, number][] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ECE', 0x40],
  ['CWR', 0x80],
];
export const CT_STATUS: [string, number][] = [
  ['EXPECTED', 1],
  ['SEEN_REPLY', 2],
  ['ASSURED', 4],
  ['CONFIRMED', 8],
];

function flagBits(v: string | undefined): number | null {
  if (v === undefined) return null;
  let bits = 0;
  for (const name of v.split(',')) {
    if (name === 'ALL') bits |= 0x3f;
    else if (name === 'NONE') continue;
    else {
      const f = TCP_FLAGS.find(([n]) => n === name);
      if (!f) return null;
      bits |= f[1];
    }
  }
  return bits;
}

function listBits(v: string | undefined, names: readonly string[]): number | null {
  if (v === undefined || v === '') return null;
  let bits = 0;
  for (const s of v.split(',')) {
    const i = names.indexOf(s.toUpperCase());
    if (i < 0) return null;
    bits |= 1 << i;
  }
  return bits;
}

/** The match a module name starts with; null for modules this engine does not model. */
export function newModule(name: string): MatchModule | null {
  switch (name) {
    case 'tcp':
    case 'udp':
      return { mod: name };
    case 'icmp':
      return { mod: 'icmp', type: -1, code: null, neg: false };
    case 'comment':
      return { mod: 'comment', text: '' };
    case 'statistic':
      return {
        mod: 'statistic',
        mode: 'random',
        probability: -1,
        every: 0,
        packet: -1,
        neg: false,
      };
    case 'recent':
      return {
        mod: 'recent',
        action: 'rcheck',
        seconds: 0,
        reap: false,
        hitcount: 0,
        rttl: false,
        name: 'DEFAULT',
        mask: 0xffffffff,
        side: 'rsource',
        neg: false,
      };
    case 'addrtype':
      return { mod: 'addrtype', limitIn: false, limitOut: false };
    case 'set':
      return { mod: 'set', name: '', dirs: [], neg: false };
    case 'mark':
      return { mod: 'mark', value: -1, mask: 0xffffffff, neg: false };
    case 'conntrack':
    case 'state':
      return { mod: name };
    case 'multiport':
      return { mod: 'multiport', which: 'ports', ports: [], neg: false };
    case 'physdev':
      return { mod: 'physdev' };
    default:
      return null;
  }
}

const bad = (opt: string, v: string | undefined): OptResult => ({
  error: `bad value "${v ?? ''}" for ${opt}`,
});

/** Offers one option to a module. */
export function moduleOption(m: MatchModule, opt: string, arg: Arg, neg: boolean): OptResult {
  switch (m.mod) {
    case 'tcp':
    case 'udp': {
      if (
        opt === '--sport' ||
        opt === '--source-port' ||
        opt === '--dport' ||
        opt === '--destination-port'
      ) {
        const key = opt === '--sport' || opt === '--source-port' ? 'sport' : 'dport';
        if (m[key]) return { error: `multiple ${opt} flags not allowed` };
        const v = arg();
        const t = portTest(v, neg);
        if (!t) return bad(opt, v);
        m[key] = t;
        return null;
      }
      if (m.mod === 'tcp' && opt === '--syn') {
        m.flags = { mask: 0x17, comp: 0x02, neg };
        return null;
      }
      if (m.mod === 'tcp' && opt === '--tcp-flags') {
        const a = arg();
        const b = arg();
        const mask = flagBits(a);
        const comp = flagBits(b);
        if (mask === null || comp === null) return bad(opt, `${a ?? ''} ${b ?? ''}`);
        m.flags = { mask, comp, neg };
        return null;
      }
      return 'skip';
    }
    case 'icmp': {
      if (opt !== '--icmp-type') return 'skip';
      const v = arg() ?? '';
      const named: Record<string, [number, number | null]> = {
        any: [255, null],
        'echo-reply': [0, null],
        'destination-unreachable': [3, null],
        'port-unreachable': [3, 3],
        'host-unreachable': [3, 1],
        'echo-request': [8, null],
        'time-exceeded': [11, null],
      };
      const [t, c] = v.split('/');
      const n =
        named[v] ??
        (/^\d+$/.test(t ?? '') ? [Number(t), c === undefined ? null : Number(c)] : null);
      if (!n || n[0] > 255 || (n[1] !== null && !(n[1] >= 0 && n[1] <= 255))) return bad(opt, v);
      m.type = n[0];
      m.code = n[1];
      m.neg = neg;
      return null;
    }
    case 'comment':
      if (opt !== '--comment') return 'skip';
      m.text = arg() ?? '';
      return m.text.length > 255 ? { error: 'comment too long' } : null;
    case 'statistic': {
      if (opt === '--mode') {
        const v = arg();
        if (v !== 'random' && v !== 'nth') return bad(opt, v);
        m.mode = v;
        return null;
      }
      if (opt === '--probability') {
        const v = arg();
        const p = v === undefined || !/^[\d.eE+-]+$/.test(v) ? NaN : Number(v);
        if (!(p >= 0 && p <= 1)) return bad(opt, v);
        // libxt_statistic stores lround(0x80000000 * p): the kernel compares 31 random bits.
        m.probability = Math.round(0x80000000 * p);
        m.neg = neg;
        return null;
      }
      if (opt === '--every' || opt === '--packet') {
        const v = parseNumber(arg());
        if (v === null) return bad(opt, String(v));
        if (opt === '--every') {
          if (v < 1) return bad(opt, String(v));
          m.every = v;
          m.neg = neg;
        } else m.packet = v;
        return null;
      }
      return 'skip';
    }
    case 'recent': {
      const actions = ['--set', '--rcheck', '--update', '--remove'];
      if (actions.includes(opt)) {
        m.action = opt.slice(2) as typeof m.action;
        m.neg = neg;
        return null;
      }
      if (opt === '--seconds' || opt === '--hitcount') {
        const v = parseNumber(arg());
        if (v === null) return bad(opt, undefined);
        if (opt === '--seconds') m.seconds = v;
        else m.hitcount = v;
        return null;
      }
      if (opt === '--reap') m.reap = true;
      else if (opt === '--rttl') m.rttl = true;
      else if (opt === '--rsource' || opt === '--rdest') m.side = opt.slice(2) as typeof m.side;
      else if (opt === '--name') m.name = arg() ?? '';
      else if (opt === '--mask') {
        const v = arg();
        const mask = v === undefined ? undefined : parseIp4(v);
        if (mask === undefined) return bad(opt, v);
        m.mask = mask;
      } else return 'skip';
      return null;
    }
    case 'addrtype': {
      if (opt === '--src-type' || opt === '--dst-type') {
        const v = arg();
        const types = listBits(v, ADDR_TYPES);
        if (types === null) return bad(opt, v);
        m[opt === '--src-type' ? 'src' : 'dst'] = { types, neg };
        return null;
      }
      if (opt === '--limit-iface-in') m.limitIn = true;
      else if (opt === '--limit-iface-out') m.limitOut = true;
      else return 'skip';
      return null;
    }
    case 'set': {
      if (opt !== '--match-set') return 'skip';
      const name = arg();
      const flags = arg();
      const dirs = flags?.split(',');
      if (!name || !dirs || dirs.some((d) => d !== 'src' && d !== 'dst') || dirs.length > 6)
        return bad(opt, `${name ?? ''} ${flags ?? ''}`);
      m.name = name;
      m.dirs = dirs as ('src' | 'dst')[];
      m.neg = neg;
      return null;
    }
    case 'mark': {
      if (opt !== '--mark') return 'skip';
      const v = arg();
      const vm = parseValueMask(v);
      if (!vm) return bad(opt, v);
      [m.value, m.mask] = vm;
      m.neg = neg;
      return null;
    }
    case 'conntrack':
    case 'state': {
      if (
        (m.mod === 'state' && opt === '--state') ||
        (m.mod === 'conntrack' && opt === '--ctstate')
      ) {
        const v = arg();
        const bits = listBits(v, CT_STATES);
        if (bits === null) return bad(opt, v);
        m.states = { bits, neg };
        return null;
      }
      if (m.mod !== 'conntrack') return 'skip';
      const addrKeys: Record<string, 'origSrc' | 'origDst' | 'replSrc' | 'replDst'> = {
        '--ctorigsrc': 'origSrc',
        '--ctorigdst': 'origDst',
        '--ctreplsrc': 'replSrc',
        '--ctrepldst': 'replDst',
      };
      const portKeys: Record<
        string,
        'origSrcPort' | 'origDstPort' | 'replSrcPort' | 'replDstPort'
      > = {
        '--ctorigsrcport': 'origSrcPort',
        '--ctorigdstport': 'origDstPort',
        '--ctreplsrcport': 'replSrcPort',
        '--ctrepldstport': 'replDstPort',
      };
      const v = addrKeys[opt] || portKeys[opt] || opt === '--ctstatus' ? arg() : undefined;
      if (addrKeys[opt]) {
        const t = addrTest(v, neg);
        if (!t) return bad(opt, v);
        m[addrKeys[opt]] = t;
      } else if (portKeys[opt]) {
        const t = portTest(v, neg);
        if (!t) return bad(opt, v);
        m[portKeys[opt]] = t;
      } else if (opt === '--ctstatus') {
        let bits = 0;
        for (const s of (v ?? '').split(',')) {
          const f = CT_STATUS.find(([n]) => n === s);
          if (!f && s !== 'NONE') return bad(opt, v);
          bits |= f ? f[1] : 0;
        }
        m.status = { bits, neg };
      } else return 'skip';
      return null;
    }
    case 'multiport': {
      const which: Record<string, 'sports' | 'dports' | 'ports'> = {
        '--sports': 'sports',
        '--source-ports': 'sports',
        '--dports': 'dports',
        '--destination-ports': 'dports',
        '--ports': 'ports',
      };
      if (!which[opt]) return 'skip';
      if (m.ports.length) return { error: 'multiport can only have one option' };
      const v = arg() ?? '';
      const ports: [number, number][] = [];
      for (const part of v.split(',')) {
        const r = parsePortRange(part);
        if (!r) return bad(opt, v);
        ports.push(r);
      }
      if (ports.length > 15) return { error: 'too many ports specified' };
      m.which = which[opt];
      m.ports = ports;
      m.neg = neg;
      return null;
    }
    case 'physdev': {
      if (opt === '--physdev-in' || opt === '--physdev-out') {
        const v = arg() ?? '';
        const prefix = v.endsWith('+');
        m[opt === '--physdev-in' ? 'in' : 'out'] = {
          name: prefix ? v.slice(0, -1) : v,
          prefix,
          neg,
        };
        return null;
      }
      const flag: Record<string, 'isIn' | 'isOut' | 'isBridged'> = {
        '--physdev-is-in': 'isIn',
        '--physdev-is-out': 'isOut',
        '--physdev-is-bridged': 'isBridged',
      };
      if (!flag[opt]) return 'skip';
      m[flag[opt]] = { neg };
      return null;
    }
  }
}

/** What a module needs before the rule is complete, as iptables checks at the end of a rule. */
export function moduleFinal(m: MatchModule): string | null {
  switch (m.mod) {
    case 'statistic':
      if (m.mode === 'random' && m.probability < 0) return 'statistic: --probability is required';
      if (m.mode === 'nth' && (m.every === 0 || m.packet < 0))
        return 'statistic: option "--every" also requires "--packet"';
      if (m.mode === 'nth' && m.packet >= m.every)
        return 'statistic: --packet must be less than --every';
      return null;
    case 'set':
      return m.name ? null : 'set: --match-set is required';
    case 'mark':
      return m.value < 0 ? 'mark: --mark is required' : null;
    case 'multiport':
      return m.ports.length ? null : 'multiport: needs --sports, --dports or --ports';
    case 'comment':
      return null;
    case 'icmp':
      return m.type < 0 ? null : null;
    case 'recent':
      if (m.reap && !m.seconds) return 'recent: option "--reap" also requires "--seconds".';
      // xt_recent refuses timing options on --set/--remove (the kernel's checkentry fails).
      if (
        (m.action === 'set' || m.action === 'remove') &&
        (m.seconds || m.hitcount || m.reap || m.rttl)
      )
        return 'recent: --seconds, --hitcount, --reap and --rttl only go with --rcheck or --update';
      return null;
    case 'addrtype':
      return !m.src && !m.dst ? 'addrtype: needs --src-type or --dst-type' : null;
    default:
      return null;
  }
}
