import type {
  BGPConfigurationObject,
  BGPPeerObject,
  CalicoEncapMode,
  IPPoolObject,
  ObjectMeta,
} from '../engine/kube/objects';
import type { Fields } from './context';
import { readCidr, readIPv4 } from './validate';

const MODES = ['Never', 'Always', 'CrossSubnet'] as const;

/** Both API groups spell the same resources: the CRDs (v1) and the API server's (v3). */
export const CALICO_API_VERSIONS = ['crd.projectcalico.org/v1', 'projectcalico.org/v3'];

function mode(spec: Fields, key: string): CalicoEncapMode {
  const v = spec.str(key);
  if (v === undefined) return 'Never';
  if ((MODES as readonly string[]).includes(v)) return v as CalicoEncapMode;
  spec.ctx.report(
    spec.posOf(key),
    'error',
    'PW1075',
    `spec.${key}: Unsupported value: ${JSON.stringify(v)}: supported values: "Never", "Always", "CrossSubnet"`,
  );
  return 'Never';
}

export function readIPPool(obj: Fields, meta: ObjectMeta): IPPoolObject | undefined {
  const spec = obj.map('spec', true);
  if (!spec) return undefined;
  const cidr = readCidr(spec, 'cidr') ?? (spec.has('cidr') ? undefined : spec.missing('cidr'));
  const ipipMode = mode(spec, 'ipipMode');
  const vxlanMode = mode(spec, 'vxlanMode');
  if (ipipMode !== 'Never' && vxlanMode !== 'Never')
    spec.invalid('vxlanMode', vxlanMode, 'ipipMode and vxlanMode cannot both be enabled', 'PW1075');
  const blockSize = spec.int('blockSize') ?? 26;
  if (blockSize < 20 || blockSize > 32)
    spec.invalid('blockSize', blockSize, 'must be between 20 and 32 for IPv4', 'PW1076');
  const prefix = cidr ? Number(cidr.split('/')[1]) : 0;
  if (cidr && blockSize < prefix)
    spec.invalid('blockSize', blockSize, `is larger than the pool ${cidr} itself`, 'PW1076');
  if (!cidr) return undefined;
  return {
    kind: 'IPPool',
    meta,
    cidr,
    ipipMode,
    vxlanMode,
    natOutgoing: spec.bool('natOutgoing') ?? false,
    blockSize,
    disabled: spec.bool('disabled') ?? false,
    cidrSource: spec.posOf('cidr'),
  };
}

export function readBGPConfiguration(obj: Fields, meta: ObjectMeta): BGPConfigurationObject {
  const spec = obj.map('spec');
  const mesh = spec?.bool('nodeToNodeMeshEnabled');
  const as = spec?.int('asNumber');
  return {
    kind: 'BGPConfiguration',
    meta,
    ...(mesh !== undefined ? { nodeToNodeMeshEnabled: mesh } : {}),
    ...(as !== undefined ? { asNumber: as } : {}),
  };
}

export function readBGPPeer(obj: Fields, meta: ObjectMeta): BGPPeerObject {
  const spec = obj.map('spec');
  const nodeSelector = spec?.str('nodeSelector');
  const peerSelector = spec?.str('peerSelector');
  const peerIP = spec ? readIPv4(spec, 'peerIP') : undefined;
  const as = spec?.int('asNumber');
  return {
    kind: 'BGPPeer',
    meta,
    ...(nodeSelector !== undefined ? { nodeSelector } : {}),
    ...(peerSelector !== undefined ? { peerSelector } : {}),
    ...(peerIP !== undefined ? { peerIP } : {}),
    ...(as !== undefined ? { asNumber: as } : {}),
  };
}
