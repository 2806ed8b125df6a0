import { macFromNumber, type Mac } from '../wire/mac';

/** FNV-1a, 32 bit: a stable hash for names, MACs and veth suffixes (no randomness). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A stable, locally administered MAC for a device: the same world gives the same MACs. */
export function stableMac(key: string): Mac {
  const h = fnv1a(key);
  return macFromNumber(fnv1a(`${key}#`) & 0xffff, h);
}

/** The host-side veth name the CNI bridge plugin would pick ("veth" + 8 hex digits). */
export function hostVethName(podKey: string): string {
  return `veth${fnv1a(`veth:${podKey}`).toString(16).padStart(8, '0')}`;
}
