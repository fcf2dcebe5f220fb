/**
 * Sine and exponential computed with only `+ − × ÷` and `floor`, whose
 * results IEEE 754 fixes bit for bit, so that scenario curves (and therefore
 * the generated file) are identical on every engine and machine. `Math.sin`
 * and `Math.exp` are only required to be approximations and may differ.
 */

const TWO_PI = 6.283185307179586;
const LN2 = 0.6931471805599453;

/** sin(2π·turns): the sine of a fraction of a full turn. */
export function sinTurns(turns: number): number {
  // Reduce to [-0.5, 0.5) of a turn, then to [-0.25, 0.25] using sin(π − x) = sin(x).
  let reduced = turns - Math.floor(turns + 0.5);
  if (reduced > 0.25) reduced = 0.5 - reduced;
  else if (reduced < -0.25) reduced = -0.5 - reduced;
  const x = reduced * TWO_PI;
  const x2 = x * x;
  // Taylor series to x^19: error below 1e-16 for |x| ≤ π/2.
  let term = x;
  let sum = x;
  for (let n = 1; n <= 9; n++) {
    term = (-term * x2) / (2 * n * (2 * n + 1));
    sum += term;
  }
  return sum;
}

/** e^x, accurate to about 1e-15 relative for |x| ≤ 700. */
export function exactExp(x: number): number {
  if (x > 709) return Infinity;
  if (x < -745) return 0;
  // x = k·ln2 + r with |r| ≤ ln2/2; e^x = 2^k · e^r.
  const k = Math.floor(x / LN2 + 0.5);
  const r = x - k * LN2;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 20; n++) {
    term = (term * r) / n;
    sum += term;
  }
  let scale = 1;
  const step = k >= 0 ? 2 : 0.5;
  for (let count = Math.abs(k); count > 0; count--) scale *= step;
  return sum * scale;
}

/** 1 / (1 + e^(−x)): the logistic S-curve, 0 → 1 around x = 0. */
export function logistic(x: number): number {
  return 1 / (1 + exactExp(-x));
}

/** base^exponent for a non-negative integer exponent, by repeated multiplication. */
export function integerPower(base: number, exponent: number): number {
  let result = 1;
  for (let count = 0; count < exponent; count++) result *= base;
  return result;
}
