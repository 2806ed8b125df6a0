import type { Netns } from '../../kernel/netns';
import { ipsetRestore, restore } from '../../netfilter/index';
import type { Diagnostic } from '../../diagnostics';
import type { ClusterModel, NodeModel } from '../model';
import { fnv1a } from '../names';
import { caliName } from './calico';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Felix tags every rule with `cali:` and 16 characters of a hash of the rule and its place.
 * These are stable hashes of our own, in the same alphabet, not Felix's exact values.
 */
function tag(chain: string, i: number, rule: string): string {
  let out = '';
  let h = 0;
  for (let k = 0; k < 16; k++) {
    if (k % 5 === 0) h = fnv1a(`${chain}|${i}|${rule}|${k}`);
    out += ALPHABET[h & 63];
    h >>>= 6;
  }
  return `-m comment --comment "cali:${out}"`;
}

class Chains {
  readonly order: string[] = [];
  readonly rules: string[] = [];
  private count = new Map<string, number>();
  add(chain: string, spec: string, before = ''): void {
    if (!this.order.includes(chain) && chain.startsWith('cali-')) this.order.push(chain);
    const i = (this.count.get(chain) ?? 0) + 1;
    this.count.set(chain, i);
    const [pre, post] = before ? [`${before} `, spec] : ['', spec];
    this.rules.push(`-A ${chain} ${pre}${tag(chain, i, spec)} ${post}`);
  }
  declare(chain: string): void {
    if (!this.order.includes(chain)) this.order.push(chain);
  }
}

/**
 * The Felix chains that decide forwarding, for a node's local workloads with no network
 * policy (each namespace's profile allows everything): the mark 0x10000 says "policy
 * accepted", `cali-fw-` / `cali-tw-` chains hold each workload's egress and ingress, and
 * FORWARD accepts what carries the mark. natOutgoing masquerades pods leaving the pools.
 */
export function felixRulesText(model: ClusterModel, node: NodeModel): string {
  const c = model.network.calico!;
  const pods = model.pods.filter((p) => p.node === node.name && !p.hostNetwork);
  const f = new Chains();
  for (const ch of ['cali-from-hep-forward', 'cali-to-hep-forward', 'cali-cidr-block'])
    f.declare(ch);
  f.add('cali-FORWARD', '-j MARK --set-xmark 0x0/0xe0000');
  f.add('cali-FORWARD', '-m mark --mark 0x0/0x10000 -j cali-from-hep-forward');
  f.add('cali-FORWARD', '-j cali-from-wl-dispatch', '-i cali+');
  f.add('cali-FORWARD', '-j cali-to-wl-dispatch', '-o cali+');
  f.add('cali-FORWARD', '-j cali-to-hep-forward');
  f.add('cali-FORWARD', '-j cali-cidr-block');
  const namespaces = [...new Set(pods.map((p) => p.namespace))].sort();
  const byIface = [...pods].sort((a, b) => caliName(a).localeCompare(caliName(b)));
  for (const p of byIface)
    f.add('cali-from-wl-dispatch', `-g cali-fw-${caliName(p)}`, `-i ${caliName(p)}`);
  f.add('cali-from-wl-dispatch', '-m comment --comment "Unknown interface" -j DROP');
  for (const p of byIface)
    f.add('cali-to-wl-dispatch', `-g cali-tw-${caliName(p)}`, `-o ${caliName(p)}`);
  f.add('cali-to-wl-dispatch', '-m comment --comment "Unknown interface" -j DROP');
  for (const p of byIface)
    for (const [dir, profile] of [
      ['fw', 'pro'],
      ['tw', 'pri'],
    ] as const) {
      const ch = `cali-${dir}-${caliName(p)}`;
      f.add(ch, '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
      f.add(ch, '-m conntrack --ctstate INVALID -j DROP');
      f.add(ch, '-j MARK --set-xmark 0x0/0x10000');
      f.add(ch, `-j cali-${profile}-kns.${p.namespace}`);
      f.add(
        ch,
        '-m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 -j RETURN',
      );
      f.add(ch, '-m comment --comment "Drop if no profiles matched" -j DROP');
    }
  for (const ns of namespaces)
    for (const profile of ['pri', 'pro']) {
      const ch = `cali-${profile}-kns.${ns}`;
      f.add(ch, '-j MARK --set-xmark 0x10000/0x10000');
      f.add(ch, '-m mark --mark 0x10000/0x10000 -j RETURN');
    }
  const fwd = new Chains();
  fwd.add(
    'FORWARD',
    '-m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT',
  );
  fwd.add('FORWARD', '-j MARK --set-xmark 0x10000/0x10000');
  const nat = new Chains();
  nat.add('cali-POSTROUTING', '-j cali-nat-outgoing');
  if (c.pool.natOutgoing)
    nat.add(
      'cali-nat-outgoing',
      '-m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully',
    );
  else nat.declare('cali-nat-outgoing');
  const chainLines = (chains: string[]) => chains.map((ch) => `:${ch} - [0:0]`);
  return [
    '*filter',
    ...chainLines(f.order),
    `-I FORWARD 1 ${tag('FORWARD', 0, '-j cali-FORWARD')} -j cali-FORWARD`,
    ...f.rules,
    ...fwd.rules,
    'COMMIT',
    '*nat',
    ...chainLines(nat.order),
    `-I POSTROUTING 1 ${tag('POSTROUTING', 0, '-j cali-POSTROUTING')} -j cali-POSTROUTING`,
    ...nat.rules,
    'COMMIT',
    '',
  ].join('\n');
}

/** The ipsets Felix keeps for natOutgoing: the pools to masquerade, and every pool. */
function felixIpsets(model: ClusterModel): string {
  const pool = model.network.calico!.pool;
  const lines = [];
  for (const name of ['cali40all-ipam-pools', 'cali40masq-ipam-pools']) {
    lines.push(`create ${name} hash:net family inet hashsize 1024 maxelem 1048576`);
    if (name === 'cali40all-ipam-pools' || pool.natOutgoing) lines.push(`add ${name} ${pool.cidr}`);
  }
  return lines.join('\n');
}

/** Felix's sets and chains into the node's netfilter, next to kube-proxy's. */
export function installFelixRules(model: ClusterModel, node: NodeModel, ns: Netns): Diagnostic[] {
  if (model.network.cni !== 'calico') return [];
  const file = `calico-felix@${node.name}`;
  return [
    ...ipsetRestore(ns.netfilter.sets, felixIpsets(model), `${file}/ipset`),
    ...restore(ns.netfilter, felixRulesText(model, node), file, { noflush: true }),
  ];
}
