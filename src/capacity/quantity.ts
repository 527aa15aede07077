/** Kubernetes quantities as numbers: CPU in millicores, memory and storage in bytes. */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a quantity in base units (cores, bytes), or NaN when it is not one. */
export function quantityValue(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Millicores of a CPU quantity. */
export const millicores = (q: string | number | undefined): number => Math.round(quantityValue(q) * 1000);

/** `1500m` → `1.5`, `250m` → `250m`: a CPU figure for people. */
export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : milli >= 1000 ? `${(milli / 1000).toFixed(2).replace(/0+$/, '').replace(/\.$/, '')}` : `${milli}m`;
}

/** Bytes as `512Mi`, `1.5Gi`, `200Gi`: a memory or storage figure for people. */
export function formatBytes(bytes: number): string {
  for (const [suffix, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${Number.isInteger(v) ? v : v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '')}${suffix}`;
    }
  }
  return String(bytes);
}
