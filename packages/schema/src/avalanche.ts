/**
 * The final mix of a 32-bit hash (MurmurHash3's): every bit of the input
 * changes each bit of the output with probability about one half.
 */
export function avalanche(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
