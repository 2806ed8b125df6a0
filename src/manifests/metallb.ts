import type {
  AddressRange,
  IPAddressPoolObject,
  MetalLBAdvertisementObject,
  ObjectMeta,
} from '../engine/kube/objects';
import type { SourcePos } from '../engine/diagnostics';
import type { Fields } from './context';
import { cidrProblem, isIPv4 } from './validate';

/** MetalLB's CRDs since v0.13 (the ConfigMap of older releases is not read). */
export const METALLB_API_VERSIONS = ['metallb.io/v1beta1'];

const toN = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

/**
 * One `spec.addresses` entry as MetalLB reads it: a CIDR (every address in it, network and
 * broadcast included), or `A-B` (both ends included). A CIDR with host bits set is taken as its
 * network, as Go's net.ParseCIDR does. Worded like MetalLB's config errors.
 */
function readRange(
  text: string,
  at: SourcePos,
  pool: string,
  report: (m: string) => void,
): AddressRange | undefined {
  const dash = text.split('-').map((t) => t.trim());
  if (dash.length === 2) {
    const [a, b] = dash as [string, string];
    if (!isIPv4(a) || !isIPv4(b)) {
      report(`invalid IP range "${text}" in pool "${pool}": both ends must be IPv4 addresses`);
      return undefined;
    }
    if (toN(a) > toN(b)) {
      report(`invalid IP range "${text}": first IP "${a}" is after last IP "${b}"`);
      return undefined;
    }
    return { text, first: toN(a), last: toN(b), source: at };
  }
  const [addr, len] = text.split('/');
  const problem = cidrProblem(text);
  if (problem && !(problem.startsWith('host bits') && addr && len)) {
    report(`invalid CIDR "${text}" in pool "${pool}": ${problem}`);
    return undefined;
  }
  const size = 2 ** (32 - Number(len));
  const first = Math.floor(toN(addr!) / size) * size;
  return { text, first, last: first + size - 1, source: at };
}

export function readIPAddressPool(obj: Fields, meta: ObjectMeta): IPAddressPoolObject {
  const spec = obj.map('spec', true);
  const addresses = (spec?.strings('addresses') ?? []).flatMap((a, i) => {
    const r = readRange(a.value, a.at, meta.name, (m) =>
      obj.ctx.report(a.at, 'error', 'PW1077', `spec.addresses[${i}]: ${m}`),
    );
    return r ? [r] : [];
  });
  if (spec && !spec.has('addresses')) spec.missing('addresses');
  return {
    kind: 'IPAddressPool',
    meta,
    addresses,
    autoAssign: spec?.bool('autoAssign') ?? true,
    avoidBuggyIPs: spec?.bool('avoidBuggyIPs') ?? false,
  };
}

export function readAdvertisement(
  obj: Fields,
  meta: ObjectMeta,
  kind: MetalLBAdvertisementObject['kind'],
): MetalLBAdvertisementObject {
  const spec = obj.map('spec');
  const nodeSelectors = (spec?.list('nodeSelectors') ?? []).map((sel) => {
    if (sel.has('matchExpressions'))
      obj.ctx.report(
        sel.posOf('matchExpressions'),
        'warning',
        'PW1078',
        `${sel.path}.matchExpressions: not modelled by Packetwalk yet; only matchLabels selects nodes`,
      );
    return sel.stringMap('matchLabels');
  });
  if (spec?.has('ipAddressPoolSelectors'))
    obj.ctx.report(
      spec.posOf('ipAddressPoolSelectors'),
      'warning',
      'PW1078',
      'spec.ipAddressPoolSelectors: not modelled by Packetwalk yet; name the pools in spec.ipAddressPools',
    );
  return {
    kind,
    meta,
    ipAddressPools: (spec?.strings('ipAddressPools') ?? []).map((p) => p.value),
    nodeSelectors,
  };
}
