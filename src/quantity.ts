/**
 * Kubernetes quantities (resource.Quantity), the one grammar of the library: every check of an
 * input and every sum over rendered documents reads a quantity here.
 *
 *   quantity ::= sign? number suffix?       sign ::= "+" | "-"
 *   number   ::= digits | digits "." digits? | "." digits
 *   suffix   ::= binarySI | decimalExponent | decimalSI
 *   binarySI ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   decimalSI ::= n | u | m | k | M | G | T | P | E
 *   decimalExponent ::= ("e" | "E") sign? digits
 *
 * "1E" is 10^18 (the suffix); "1E3" is 1000 (the exponent).
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const GRAMMAR = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([KMGTPE]i)|[eE]([+-]?[0-9]+)|([numkMGTPE]))?$/;

/** A quantity taken apart: its value in base units (cores, bytes) and its suffix (`""` when none). */
export interface ParsedQuantity {
  readonly value: number;
  readonly suffix: string;
}

/** Parses a quantity string by the grammar above; undefined when it is not one (spaces included). */
export function parseQuantity(q: string): ParsedQuantity | undefined {
  const m = GRAMMAR.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return { value: n * BINARY[m[2]], suffix: m[2] };
  // 0 × 10^1125 is 0, not NaN (0 × Infinity), as Kubernetes' arbitrary-precision value says.
  if (m[3] !== undefined) return { value: n === 0 ? 0 : n * 10 ** Number(m[3]), suffix: `e${m[3]}` };
  const suffix = m[4] ?? '';
  return { value: n * DECIMAL[suffix], suffix };
}

/** The value of a quantity in base units (cores, bytes); 0 when absent, NaN when it is not one. */
export function quantityValue(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  return parseQuantity(q)?.value ?? NaN;
}

/** Millicores of a CPU quantity. */
export const millicores = (q: string | number | undefined): number => Math.round(quantityValue(q) * 1000);

/** `1.5`, `1.25`, `2`: a figure rounded to two decimals, without trailing zeros. */
const twoDecimals = (v: number): string => v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');

/** `1500m` → `1.5`, `250m` → `250m`: a CPU figure for people. */
export function formatCpu(milli: number): string {
  return milli === 0 || milli >= 1000 ? twoDecimals(milli / 1000) : `${milli}m`;
}

/** Bytes as `512Mi`, `1.5Gi`, `200Gi`: a memory or storage figure for people. */
export function formatBytes(bytes: number): string {
  for (const [suffix, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= size) return `${twoDecimals(bytes / size)}${suffix}`;
  }
  return String(bytes);
}
