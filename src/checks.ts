/**
 * Small, strict checks of input values. Each returns `undefined` when the value is fine,
 * or a lowercase message that quotes the value and says what is allowed.
 */
import { rangeOf } from './ipv4';
import { parseQuantity } from './quantity';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (names of Services, Deployments, namespaces): lowercase, digits, '-', at most `max` characters. */
export function dnsLabel(value: unknown, max = 63): string | undefined {
  if (typeof value !== 'string') return `expected a name, got ${show(value)}`;
  if (value.length > max) return `"${value}" is ${value.length} characters long; at most ${max} are allowed`;
  if (!DNS_LABEL.test(value)) return `"${value}" is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)`;
  return undefined;
}

/**
 * A name that also names a Service (DNS-1035 label): like {@link dnsLabel}, but it must start with
 * a letter, since the API server refuses a Service called `1api`.
 */
export function serviceName(value: unknown, max = 63): string | undefined {
  const label = dnsLabel(value, max);
  if (label !== undefined) return label;
  // A DNS-1123 label that starts with a letter is a DNS-1035 label.
  if (!/^[a-z]/.test(value as string)) return `"${value}" names a Service, so it must start with a letter (DNS-1035 label)`;
  return undefined;
}

/** A DNS-1123 subdomain (hosts, Secret and ConfigMap names). */
export function dnsSubdomain(value: unknown, max = 253): string | undefined {
  if (typeof value !== 'string') return `expected a DNS name, got ${show(value)}`;
  if (value.length > max) return `"${value}" is ${value.length} characters long; at most ${max} are allowed`;
  if (!DNS_SUBDOMAIN.test(value)) return `"${value}" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`;
  return undefined;
}

/** A TCP port, 1-65535. */
export function port(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    return `${show(value)} is not a port; use a whole number from 1 to 65535`;
  }
  return undefined;
}

/** A whole number within [min, max]. */
export function wholeNumber(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `${show(value)} is not allowed; use a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`;
  }
  return undefined;
}

/** A Kubernetes quantity such as `250m`, `1`, `512Mi` or `20Gi` (the grammar of quantity.ts), not negative. */
export function quantity(value: unknown): string | undefined {
  const parsed = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (parsed === undefined) return `${show(value)} is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"`;
  if (parsed.value < 0) return `${show(value)} is negative; use e.g. "250m", "512Mi" or "20Gi"`;
  return undefined;
}

const FRACTIONS: Record<string, string> = { m: 'milli', u: 'micro', n: 'nano' };

/** A storage size: a whole number of bytes as a quantity (no millis, no fraction), e.g. `20Gi`. */
export function storageSize(value: unknown): string | undefined {
  const q = quantity(value);
  if (q !== undefined) return q;
  const parsed = parseQuantity(value as string)!;
  const fraction = FRACTIONS[parsed.suffix];
  if (fraction) return `"${value}" is a ${fraction}-quantity; storage takes bytes such as "20Gi"`;
  if (!Number.isInteger(parsed.value)) return `"${value}" is no whole number of bytes; storage takes bytes such as "20Gi"`;
  return undefined;
}

const CRON_FIELDS: ReadonlyArray<{ name: string; min: number; max: number; names?: readonly string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];
const CRON_DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
// What the controller's parser splits fields on (Go's unicode.IsSpace): JavaScript's \s also takes
// U+FEFF, which would pass "0 3 * *\uFEFF*" as five fields, and misses U+0085.
const CRON_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * A CronJob schedule in the grammar the Kubernetes controller accepts (five fields, or a
 * descriptor such as `@daily`). `CRON_TZ=`/`TZ=` prefixes are refused: use `timeZone` instead.
 * Written here rather than taken from a cron package because those accept seconds fields, `L`
 * and `#`, which the controller rejects. `?` is `*`, as the controller's parser reads it.
 */
export function cronSchedule(value: unknown): string | undefined {
  if (typeof value !== 'string') return `expected a cron schedule, got ${show(value)}`;
  const s = value.trim();
  if (/^(CRON_)?TZ=/.test(s)) return `"${value}" sets its time zone inline; put the zone in timeZone instead`;
  // The parser reads a descriptor only from the first character to the last: "@daily " is refused.
  if (s.startsWith('@')) {
    if (!CRON_DESCRIPTORS.has(s)) return `"${value}" is not a known descriptor (${[...CRON_DESCRIPTORS].join(', ')})`;
    return s === value ? undefined : `"${value}" has spaces around its descriptor; write "${s}"`;
  }
  const parts = value.split(CRON_SPACE).filter((part) => part !== '');
  if (parts.length !== 5) return `"${value}" has ${parts.length} fields; a schedule has 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const f = CRON_FIELDS[i];
    for (const item of parts[i].split(',')) {
      if (!cronItem(item, f.min, f.max, f.names)) return `"${value}": ${f.name} field "${parts[i]}" is not valid (${f.min}-${f.max}, '*', ranges, lists and steps)`;
    }
  }
  return undefined;
}

function cronItem(item: string, min: number, max: number, names?: readonly string[]): boolean {
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return false;
  if (step !== undefined && !(/^[0-9]+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || range === '?') return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const values = bounds.map((b) => {
    const lower = b.toLowerCase();
    const named = names?.indexOf(lower) ?? -1;
    if (named >= 0) return named + min;
    return /^[0-9]+$/.test(b) ? Number(b) : NaN;
  });
  if (values.some((v) => Number.isNaN(v) || v < min || v > max)) return false;
  return values.length === 1 || values[0] <= values[1];
}

// "UTC" needs no lookup; any other name loads the ICU time zone data once (about 50 ms).
const zoneVerdicts = new Map<string, string | undefined>([['UTC', undefined]]);

/** An IANA time zone name such as `Europe/Berlin` or `UTC`, as the CronJob controller accepts it. */
export function timeZone(value: unknown): string | undefined {
  // Building an Intl.DateTimeFormat costs about a millisecond after the first: judge each name once.
  if (typeof value === 'string' && zoneVerdicts.has(value)) return zoneVerdicts.get(value);
  const verdict = judgeTimeZone(value);
  if (typeof value === 'string') zoneVerdicts.set(value, verdict);
  return verdict;
}

function judgeTimeZone(value: unknown): string | undefined {
  // Kubernetes takes at most 14 characters between two '/' (the tz database's own limit), so it
  // refuses "Canada/East-Saskatchewan", which Intl still resolves.
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]{0,13}(\/[A-Za-z0-9_+-]{1,14})*$/.test(value)) {
    return `${show(value)} is not an IANA time zone name; use e.g. "UTC" or "Europe/Berlin"`;
  }
  try {
    // Intl resolves names case-insensitively; the controller's tz database lookup does not.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    if (resolved !== value && resolved.toLowerCase() === value.toLowerCase()) return `"${value}" is spelled "${resolved}" in the IANA database`;
  } catch {
    return `"${value}" is not an IANA time zone name; use e.g. "UTC" or "Europe/Berlin"`;
  }
  return undefined;
}

/** An IPv4 range in CIDR notation, e.g. `169.254.20.10/32`. */
export function ipv4Cidr(value: unknown): string | undefined {
  if (typeof value !== 'string' || rangeOf(value) === undefined) return `${show(value)} is not an IPv4 CIDR such as "10.0.0.0/8"`;
  return undefined;
}

/** An HTTP path for probes and Ingress routes: starts with '/', no spaces. */
export function httpPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\/[^\s]*$/.test(value)) return `${show(value)} is not an HTTP path; it must start with "/" and hold no spaces`;
  return undefined;
}

/** Quotes a value for a message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `value` as a list when it is one, else `[]` (the problem is reported by {@link propShapes}). */
export function asList<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Checks the JavaScript shape of optional props before anything reads them, so a wrong type
 * (from JavaScript, `as any` or generated input) ends in a message, never in a TypeError:
 * `lists` must be arrays, `records` plain objects, `objects` objects (when present).
 */
export function propShapes(
  props: unknown,
  spec: { readonly lists?: readonly string[]; readonly records?: readonly string[]; readonly objects?: readonly string[]; readonly strings?: readonly string[] },
): Array<[string, string]> {
  if (props === null || typeof props !== 'object') return [['props', `expected an object of props, got ${show(props)}`]];
  const p = props as Record<string, unknown>;
  const out: Array<[string, string]> = [];
  const isPlain = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  for (const k of spec.lists ?? []) if (p[k] !== undefined && !Array.isArray(p[k])) out.push([k, `expected a list, got ${show(p[k])}`]);
  for (const k of spec.records ?? []) if (p[k] !== undefined && !isPlain(p[k])) out.push([k, `expected an object of names to values, got ${show(p[k])}`]);
  for (const k of spec.objects ?? []) if (p[k] !== undefined && !isPlain(p[k])) out.push([k, `expected an object, got ${show(p[k])}`]);
  for (const k of spec.strings ?? []) if (p[k] !== undefined && typeof p[k] !== 'string') out.push([k, `expected a string, got ${show(p[k])}`]);
  return out;
}
