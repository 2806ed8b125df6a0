import type { TFunction } from 'i18next';
import type { PacketView, TraceEvent } from '../../protocol/messages';

/** "10.244.0.2:50471 → 10.244.0.3:80 TCP [S]": the header fields a learner follows. */
export function packetLine(p: PacketView | undefined): string {
  if (!p) return '';
  const l4 = p.tcp ?? p.udp;
  const ends = l4
    ? `${p.ip.src}:${l4.sport} → ${p.ip.dst}:${l4.dport}`
    : `${p.ip.src} → ${p.ip.dst}`;
  const what = p.tcp
    ? `TCP [${p.tcp.flags}]`
    : p.udp
      ? 'UDP'
      : p.icmp
        ? 'ICMP'
        : `IP/${p.ip.proto}`;
  return `${ends} ${what}`;
}

/** One sentence per trace event, in the current language. */
export function describeEvent(e: TraceEvent, t: TFunction): string {
  switch (e.kind) {
    case 'send':
      return t('event.send', {
        process: e.process,
        socket: e.socket,
        packet: packetLine(e.packet),
      });
    case 'route':
      return e.route === null
        ? t('event.routeNone', { dst: e.packet?.ip.dst ?? '' })
        : t('event.route', { table: e.table, route: e.route });
    case 'arp':
      return e.how === 'failed'
        ? t('event.arpFailed', { ip: e.ip, dev: e.dev })
        : t('event.arp', { ip: e.ip, mac: e.mac ?? '?', dev: e.dev, how: t(`arpHow.${e.how}`) });
    case 'transmit':
      return t('event.transmit', {
        link: t(`link.${e.link}`),
        from: `${e.from.ns}:${e.from.dev}`,
        to: `${e.to.ns}:${e.to.dev}`,
      });
    case 'bridge':
      return t(e.outPorts.length ? 'event.bridge' : 'event.bridgeLocal', {
        bridge: e.bridge,
        in: e.inPort,
        action: t(`bridgeAction.${e.action}`),
        out: e.outPorts.join(', '),
      });
    case 'hook':
      return t(e.family === 'bridge' ? 'event.hookBridge' : 'event.hook', {
        hook: e.hook,
        dev: e.dev ?? '',
      });
    case 'netfilter':
      if (e.rule === null)
        return t('event.policy', { table: e.table, chain: e.chain, verdict: e.verdict });
      if (!e.matched) {
        const from = e.range?.[0] ?? e.index ?? '';
        const to = e.range?.[1] ?? e.index ?? '';
        return t(from === to ? 'event.ruleMissOne' : 'event.ruleMiss', {
          table: e.table,
          chain: e.chain,
          from,
          to,
        });
      }
      return t('event.rule', {
        table: e.table,
        chain: e.chain,
        index: e.index ?? '',
        verdict: e.verdict,
      });
    case 'nat':
      return t('event.nat', { type: e.type, hook: e.hook, before: e.before, after: e.after });
    case 'conntrack':
      return t('event.conntrack', { action: t(`ctAction.${e.action}`), state: e.state });
    case 'encap':
      return t('event.encap', { tunnel: e.tunnel, dev: e.dev, bytes: e.overhead });
    case 'decap':
      return t('event.decap', { tunnel: e.tunnel, dev: e.dev, bytes: e.overhead });
    case 'deliver':
      return t('event.deliver', { process: e.process, socket: e.socket, src: e.src, dst: e.dst });
    case 'relay':
      return t('event.relay', { process: e.process, detail: e.detail });
    case 'drop':
      return t('event.drop', {
        reason: t(`dropReason.${e.reason}`, { defaultValue: e.message }),
        message: e.message,
      });
  }
}
