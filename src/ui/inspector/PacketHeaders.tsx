import { useTranslation } from 'react-i18next';
import type { PacketView } from '../../protocol/messages';

type Field = { layer: string; name: string; value: string };

const PROTO: Record<number, string> = { 1: 'ICMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP' };

/** The header fields of a packet, outermost first; an encapsulated packet lists its inner headers after. */
export function headerFields(p: PacketView, prefix = ''): Field[] {
  const out: Field[] = [];
  const add = (layer: string, name: string, value: string | number) =>
    out.push({ layer: `${prefix}${layer}`, name, value: String(value) });
  if (p.eth) {
    add('Ethernet', 'src', p.eth.src);
    add('Ethernet', 'dst', p.eth.dst);
    add('Ethernet', 'type', `0x${p.eth.type.toString(16).padStart(4, '0')}`);
  }
  add('IPv4', 'src', p.ip.src);
  add('IPv4', 'dst', p.ip.dst);
  add('IPv4', 'proto', `${p.ip.proto} (${PROTO[p.ip.proto] ?? '?'})`);
  add('IPv4', 'ttl', p.ip.ttl);
  add('IPv4', 'len', p.ip.len);
  if (p.tcp) {
    add('TCP', 'sport', p.tcp.sport);
    add('TCP', 'dport', p.tcp.dport);
    add('TCP', 'flags', p.tcp.flags);
  }
  if (p.udp) {
    add('UDP', 'sport', p.udp.sport);
    add('UDP', 'dport', p.udp.dport);
    add('UDP', 'len', p.udp.len);
  }
  if (p.icmp) {
    add('ICMP', 'type', p.icmp.type);
    add('ICMP', 'code', p.icmp.code);
    add('ICMP', 'id', p.icmp.id);
    add('ICMP', 'seq', p.icmp.seq);
  }
  if (p.vxlan) add('VXLAN', 'vni', p.vxlan.vni);
  if (p.http) {
    // The request line and Host header as sent on this leg (the controller's upstream request
    // carries the rewritten path); a response its status line and Location.
    const h = p.http;
    if (h.status !== undefined) add('HTTP', 'status', `${h.status} ${h.reason ?? ''}`.trim());
    else add('HTTP', 'request', `${h.method} ${h.path}`);
    add('HTTP', 'Host', h.host);
    if (h.location) add('HTTP', 'Location', h.location);
  }
  if (p.dns) {
    // As dig prints them: the header line, the question, one line per record.
    const m = p.dns;
    const flags = (['qr', 'aa', 'rd', 'ra'] as const).filter((f) => m.flags[f]).join(' ');
    add('DNS', 'id', m.id);
    add('DNS', 'flags', flags);
    if (m.flags.qr) add('DNS', 'status', m.status);
    add('DNS', 'question', `${m.question.name} IN ${m.question.type}`);
    const rr = (r: (typeof m.answers)[number]) => `${r.name} ${r.ttl} IN ${r.type} ${r.data}`;
    m.answers.forEach((r, i) => add('DNS', `answer ${i + 1}`, rr(r)));
    m.authority.forEach((r, i) => add('DNS', `authority ${i + 1}`, rr(r)));
    m.additional.forEach((r, i) => add('DNS', `additional ${i + 1}`, rr(r)));
  }
  if (p.inner) out.push(...headerFields(p.inner, `${prefix}inner `));
  return out;
}

/** Headers at this step; fields this step changed are marked, with the value they had. */
export function PacketHeaders({
  packet,
  previous,
}: {
  packet: PacketView | undefined;
  previous: PacketView | undefined;
}) {
  const { t } = useTranslation();
  if (!packet) return <p className="pw-muted">{t('inspector.noPacket')}</p>;
  const before = new Map(
    (previous ? headerFields(previous) : []).map((f) => [`${f.layer}.${f.name}`, f.value]),
  );
  const fields = headerFields(packet);
  const layers = [...new Set(fields.map((f) => f.layer))];
  return (
    <div className="pw-headers" data-testid="packet-headers">
      {layers.map((layer) => (
        <table key={layer} className="pw-hdr-table">
          <caption>{layer}</caption>
          <tbody>
            {fields
              .filter((f) => f.layer === layer)
              .map((f) => {
                const old = before.get(`${f.layer}.${f.name}`);
                const changed = previous !== undefined && old !== undefined && old !== f.value;
                return (
                  <tr
                    key={f.name}
                    className={changed ? 'pw-changed' : undefined}
                    data-testid={`hdr-${f.layer}-${f.name}`}
                  >
                    <th scope="row">{f.name}</th>
                    <td>
                      {changed && (
                        <>
                          <del aria-label={t('inspector.was')}>{old}</del> →{' '}
                        </>
                      )}
                      {f.value}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
