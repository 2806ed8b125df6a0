/** A MAC address in the lower-case colon form Linux prints ("02:42:ac:11:00:02"). */
export type Mac = string & { readonly __brand: 'Mac' };

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff' as Mac;

export function parseMac(text: string): Mac | undefined {
  const t = text.toLowerCase();
  return /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(t) ? (t as Mac) : undefined;
}

/** A locally administered unicast MAC derived from a 32-bit value, e.g. a seeded counter. */
export function macFromNumber(prefix: number, n: number): Mac {
  const bytes = [
    (prefix & 0xfe) | 0x02,
    (prefix >>> 8) & 0xff,
    (n >>> 24) & 0xff,
    (n >>> 16) & 0xff,
    (n >>> 8) & 0xff,
    n & 0xff,
  ];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':') as Mac;
}
