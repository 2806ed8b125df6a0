import { base32, sha256, utf8 } from './hash';

/**
 * kube-proxy's chain names. A chain name may be at most 28 characters, so kube-proxy names a
 * service port's chains by a digest: the first 16 characters of the base32 SHA-256 of the
 * service port name followed by the lower-case protocol (and, for an endpoint chain, the
 * endpoint "IP:port"). Same input, same name, on every node and every sync.
 */
export function portProtoHash(servicePortName: string, protocol: string, endpoint = ''): string {
  return base32(sha256(utf8(servicePortName + protocol + endpoint))).slice(0, 16);
}

/** "ns/name:port", or "ns/name" when the port has no name (the proxy's ServicePortName). */
export function servicePortName(namespace: string, name: string, port?: string): string {
  return `${namespace}/${name}${port ? `:${port}` : ''}`;
}

export interface ServicePortChains {
  svc: string;
  svl: string;
  ext: string;
  fw: string;
}

export function serviceChains(spn: string, protocol: string): ServicePortChains {
  const h = portProtoHash(spn, protocol);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

export function endpointChain(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${portProtoHash(spn, protocol, endpoint)}`;
}
