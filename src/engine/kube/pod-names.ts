import { fnv1a } from './names';

/**
 * The alphabet Kubernetes uses for generated name suffixes (apimachinery's rand.String and
 * SafeEncodeString): no vowels and no look-alike digits, so a suffix never spells a word.
 */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function encode(value: number, length: number): string {
  let v = value >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ALPHABET[v % ALPHABET.length];
    v = Math.floor(v / ALPHABET.length) ^ fnv1a(`${value}:${i}`);
    v >>>= 0;
  }
  return out;
}

/**
 * The ReplicaSet a Deployment creates is named `<deployment>-<pod-template-hash>`; the hash is
 * a hash of the pod template, so the same template gives the same name (here: FNV of its text).
 */
export function podTemplateHash(templateKey: string): string {
  return encode(fnv1a(`template:${templateKey}`), 10);
}

/** A ReplicaSet's or DaemonSet's pod: `<owner>-<5 random characters>`, seeded by owner and index. */
export function generatedPodName(owner: string, index: number): string {
  return `${owner}-${encode(fnv1a(`pod:${owner}#${index}`), 5)}`;
}
