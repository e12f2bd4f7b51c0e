/**
 * A small seeded pseudo-random generator (sfc32), so that generated data is byte-identical on any machine.
 *
 * Why not `Math.random`: it cannot be seeded. sfc32 is fast, passes PractRand, and uses only 32-bit integer
 * arithmetic, which JavaScript computes the same everywhere. Independent streams (users, sessions, defects)
 * come from one seed and a label, so adding draws to one stream never shifts another.
 *
 * @example
 * ```ts
 * const random = new Random(42, "users");
 * random.int(18, 65); // same number on every run
 * ```
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seeds a stream from an integer seed and a label naming the stream. */
  constructor(seed: number, stream = "") {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer (got ${seed})`);
    const [a, b, c, d] = hashSeed(`${seed}/${stream}`);
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    // The first outputs still echo the seed's bits: discard them.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One item of a non-empty list, each equally likely. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * The index drawn from cumulative weights (`cumulative[i]` = sum of weights 0..i); an index whose weight is
   * zero is never drawn.
   */
  pickCumulative(cumulative: ArrayLike<number>, from = 0): number {
    const low = from === 0 ? 0 : cumulative[from - 1];
    const target = low + this.next() * (cumulative[cumulative.length - 1] - low);
    let lo = from;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Cumulative sums of a list of weights, for {@linkcode Random.pickCumulative}. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = sum += weights[i];
  return cumulative;
}

/** Spreads a text over four 32-bit words (cyrb128), the sfc32 state. */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
