/**
 * A Rule in iptables-save's canonical spelling (iptables 1.8.9, nft backend): `-s -d -i -o -p`
 * first, then each match in the order it was loaded, each with its options in the order its
 * libxt_* save function prints them, then the target. The fixtures in print-rule.test.ts were
 * recorded from the real iptables-save.
 */
import { formatIp4 } from '../wire/ip';
import {
  ADDR_TYPES,
  CT_STATES,
  type MatchModule,
  type NatRange,
  type Rule,
  type Target,
} from './model';
import { CT_STATUS, TCP_FLAGS } from './parse-match';
import { formatAddr, formatPortRange, formatPortTest, hex, protoName, saveString } from './values';

const ip = (n: number) => formatIp4(n as never);
const not = (neg: boolean) => (neg ? '! ' : '');

function bitNames(bits: number, names: readonly string[]): string {
  return names.filter((_, i) => bits & (1 << i)).join(',');
}
function tcpFlags(bits: number): string {
  const names = TCP_FLAGS.filter(([, b]) => bits & b).map(([n]) => n);
  return names.length ? names.join(',') : 'NONE';
}

function printModule(m: MatchModule): string {
  const o: string[] = [`-m ${m.mod}`];
  switch (m.mod) {
    case 'tcp':
    case 'udp':
      if (m.sport) o.push(formatPortTest('--sport', m.sport));
      if (m.dport) o.push(formatPortTest('--dport', m.dport));
      if (m.mod === 'tcp' && m.flags)
        o.push(
          `${not(m.flags.neg)}--tcp-flags ${tcpFlags(m.flags.mask)} ${tcpFlags(m.flags.comp)}`,
        );
      break;
    case 'icmp':
      if (m.type >= 0)
        o.push(`${not(m.neg)}--icmp-type ${m.type}${m.code === null ? '' : `/${m.code}`}`);
      break;
    case 'comment':
      o.push(`--comment ${saveString(m.text)}`);
      break;
    case 'statistic':
      o.push(`--mode ${m.mode}`);
      if (m.mode === 'random')
        o.push(`${not(m.neg)}--probability ${(m.probability / 0x80000000).toFixed(11)}`);
      else o.push(`${not(m.neg)}--every ${m.every}`, `--packet ${m.packet}`);
      break;
    case 'recent':
      o.push(`${not(m.neg)}--${m.action}`);
      if (m.seconds) o.push(`--seconds ${m.seconds}`);
      if (m.reap) o.push('--reap');
      if (m.hitcount) o.push(`--hitcount ${m.hitcount}`);
      if (m.rttl) o.push('--rttl');
      o.push(`--name ${m.name}`, `--mask ${ip(m.mask)}`, `--${m.side}`);
      break;
    case 'addrtype':
      if (m.src) o.push(`${not(m.src.neg)}--src-type ${bitNames(m.src.types, ADDR_TYPES)}`);
      if (m.dst) o.push(`${not(m.dst.neg)}--dst-type ${bitNames(m.dst.types, ADDR_TYPES)}`);
      if (m.limitIn) o.push('--limit-iface-in');
      if (m.limitOut) o.push('--limit-iface-out');
      break;
    case 'set':
      o.push(`${not(m.neg)}--match-set ${m.name} ${m.dirs.join(',')}`);
      break;
    case 'mark':
      o.push(
        `${not(m.neg)}--mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`,
      );
      break;
    case 'state':
    case 'conntrack': {
      if (m.states)
        o.push(
          `${not(m.states.neg)}--${m.mod === 'state' ? 'state' : 'ctstate'} ${bitNames(m.states.bits, CT_STATES)}`,
        );
      const addrs = [
        ['--ctorigsrc', m.origSrc],
        ['--ctorigdst', m.origDst],
        ['--ctreplsrc', m.replSrc],
        ['--ctrepldst', m.replDst],
      ] as const;
      for (const [opt, t] of addrs)
        if (t) o.push(`${not(t.neg)}${opt} ${t.len === 32 ? ip(t.addr) : formatAddr(t)}`);
      const ports = [
        ['--ctorigsrcport', m.origSrcPort],
        ['--ctorigdstport', m.origDstPort],
        ['--ctreplsrcport', m.replSrcPort],
        ['--ctrepldstport', m.replDstPort],
      ] as const;
      for (const [opt, t] of ports) if (t) o.push(formatPortTest(opt, t));
      if (m.status) {
        const names = CT_STATUS.filter(([, b]) => m.status!.bits & b).map(([n]) => n);
        o.push(`${not(m.status.neg)}--ctstatus ${names.length ? names.join(',') : 'NONE'}`);
      }
      break;
    }
    case 'multiport':
      o.push(
        `${not(m.neg)}--${m.which} ${m.ports.map(([a, b]) => formatPortRange(a, b)).join(',')}`,
      );
      break;
    case 'physdev':
      if (m.isIn) o.push(`${not(m.isIn.neg)}--physdev-is-in`);
      if (m.in) o.push(`${not(m.in.neg)}--physdev-in ${m.in.name}${m.in.prefix ? '+' : ''}`);
      if (m.isOut) o.push(`${not(m.isOut.neg)}--physdev-is-out`);
      if (m.out) o.push(`${not(m.out.neg)}--physdev-out ${m.out.name}${m.out.prefix ? '+' : ''}`);
      if (m.isBridged) o.push(`${not(m.isBridged.neg)}--physdev-is-bridged`);
      break;
  }
  return o.join(' ');
}

/** A NAT range as `--to-destination` prints it (and `-L` after `to:`). */
export function natRange(r: NatRange): string {
  let s = '';
  if (r.minIp !== 0 || r.maxIp !== 0)
    s = r.minIp === r.maxIp ? ip(r.minIp) : `${ip(r.minIp)}-${ip(r.maxIp)}`;
  if (r.minPort !== null) s += `:${formatPortRange(r.minPort, r.maxPort!, '-')}`;
  return s;
}

export function printTarget(t: Target): string {
  switch (t.kind) {
    case 'NONE':
      return '';
    case 'JUMP':
      return `-j ${t.chain}`;
    case 'GOTO':
      return `-g ${t.chain}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.with}`;
    case 'CT':
      return `-j CT${t.notrack ? ' --notrack' : ''}`;
    case 'DNAT':
    case 'SNAT': {
      const o = [`-j ${t.kind}`];
      if (t.range)
        o.push(`--to-${t.kind === 'DNAT' ? 'destination' : 'source'} ${natRange(t.range)}`);
      if (t.random) o.push('--random');
      if (t.randomFully) o.push('--random-fully');
      if (t.persistent) o.push('--persistent');
      return o.join(' ');
    }
    case 'MASQUERADE':
    case 'REDIRECT': {
      const o = [`-j ${t.kind}`];
      if (t.ports) o.push(`--to-ports ${formatPortRange(t.ports[0], t.ports[1], '-')}`);
      if (t.random) o.push('--random');
      if (t.randomFully) o.push('--random-fully');
      return o.join(' ');
    }
    case 'MARK':
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'LOG': {
      const o = ['-j LOG'];
      if (t.prefix) o.push(`--log-prefix ${saveString(t.prefix)}`);
      if (t.level !== 4) o.push(`--log-level ${t.level}`);
      return o.join(' ');
    }
    default:
      return `-j ${t.kind}`;
  }
}

/** The rule as `iptables-save` prints it. */
export function printRule(chain: string, r: Rule): string {
  const o = [`-A ${chain}`];
  if (r.src) o.push(`${not(r.src.neg)}-s ${formatAddr(r.src)}`);
  if (r.dst) o.push(`${not(r.dst.neg)}-d ${formatAddr(r.dst)}`);
  if (r.inIface) o.push(`${not(r.inIface.neg)}-i ${r.inIface.name}${r.inIface.prefix ? '+' : ''}`);
  if (r.outIface)
    o.push(`${not(r.outIface.neg)}-o ${r.outIface.name}${r.outIface.prefix ? '+' : ''}`);
  if (r.proto) o.push(`${not(r.proto.neg)}-p ${protoName(r.proto.num)}`);
  for (const m of r.matches) o.push(printModule(m));
  const t = printTarget(r.target);
  if (t) o.push(t);
  return o.join(' ');
}
