/**
 * CronJob schedules as the CronJob controller and the API server read them: a port of
 * github.com/robfig/cron/v3 `ParseStandard` (five fields or a descriptor; what
 * `pkg/apis/batch/validation` validateScheduleFormat calls), keeping each field's set of values so
 * that a schedule that can never fire is found.
 */
import { timeZone as ianaZone } from '../checks';

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** One parsed field: its values, and whether it was `*` or `?` (robfig's starBit). */
export interface CronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** A parsed schedule (`every` for `@every <duration>`), or the parser's error. */
export type ParsedSchedule = { fields: CronField[] } | { every: string } | { error: string };

/** mustParseInt: strconv.Atoi, then not negative. */
function parseNumber(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseRange(expr: string, b: Bounds, values: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  const named = (s: string) => {
    const i = b.names?.indexOf(s.toLowerCase()) ?? -1;
    return i >= 0 ? i + b.min : parseNumber(s);
  };
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = named(lowAndHigh[0]);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = named(lowAndHigh[1]);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1]);
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 1) throw new Error(`too many slashes: ${expr}`);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) values.add(v);
  return star;
}

// Go's unicode.IsSpace, what strings.Fields splits on (the empty strings between two are dropped).
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** cron.ParseStandard (Parser.Parse with the standard fields and descriptors). */
export function parseSchedule(schedule: string): ParsedSchedule {
  if (schedule.length === 0) return { error: 'empty spec string' };
  let spec = schedule;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    // The location runs to the first space; without one, Go's slice expression panics.
    const space = spec.indexOf(' ');
    if (space === -1) return { error: 'runtime error: slice bounds out of range [:-1]' };
    const zone = spec.slice(spec.indexOf('=') + 1, space);
    if (!['', 'Local'].includes(zone) && ianaZone(zone) !== undefined) return { error: `provided bad location ${zone}: unknown time zone ${zone}` };
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) return parseDescriptor(spec);
  const fields = spec.split(SPACE).filter((f) => f !== '');
  // normalizeFields prints the fields as Go prints a []string.
  if (fields.length !== 5) return { error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  try {
    return {
      fields: fields.map((field, i) => {
        const values = new Set<number>();
        let star = false;
        // strings.FieldsFunc on ',': empty items are dropped, and a field of commas has no values.
        for (const expr of field.split(',').filter((e) => e !== '')) star = parseRange(expr, FIELDS[i], values) || star;
        return { values, star };
      }),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** parseDescriptor: the named schedules, and `@every <duration>` (time.ParseDuration of the rest, as it is). */
function parseDescriptor(spec: string): ParsedSchedule {
  if (spec in DESCRIPTORS) return parseSchedule(DESCRIPTORS[spec]);
  if (!spec.startsWith('@every ')) return { error: `unrecognized descriptor: ${spec}` };
  const duration = spec.slice('@every '.length);
  const error = durationError(duration);
  return error ? { error: `failed to parse duration ${spec}: ${error}` } : { every: duration };
}

/** time.ParseDuration's units, in nanoseconds. */
const UNITS: ReadonlyMap<string, bigint> = new Map([['ns', 1n], ['us', 1000n], ['\u00b5s', 1000n], ['\u03bcs', 1000n], ['ms', 1000000n], ['s', 1000000000n], ['m', 60000000000n], ['h', 3600000000000n]]);
const MAX = 1n << 63n;

/** Go's time.quote: ASCII as it is (with `"` and `\` escaped), other bytes as \xNN. */
function quote(s: string): string {
  let out = '';
  for (const c of s) {
    if (c < ' ' || c >= '\u0080') for (const byte of Buffer.from(c)) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += c === '"' || c === '\\' ? `\\${c}` : c;
  }
  return `"${out}"`;
}

/**
 * time.ParseDuration's error for `s` ([-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, or "0"), or undefined when
 * it parses: a duration is at most 2^63 - 1 nanoseconds (2^63 when negative).
 */
function durationError(s: string): string | undefined {
  const invalid = `time: invalid duration ${quote(s)}`;
  let rest = s.replace(/^[-+]/, '');
  if (rest === '0') return undefined;
  if (rest === '') return invalid;
  let total = 0n;
  while (rest !== '') {
    const [number, whole, fraction = ''] = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)!;
    // No digits before the unit (e.g. ".s", "h"), or more than leadingInt reads.
    if (!/[0-9]/.test(number) || BigInt(whole) > MAX) return invalid;
    rest = rest.slice(number.length);
    const unit = /^[^0-9.]*/.exec(rest)![0];
    if (unit === '') return `time: missing unit in duration ${quote(s)}`;
    const ns = UNITS.get(unit);
    if (ns === undefined) return `time: unknown unit ${quote(unit)} in duration ${quote(s)}`;
    rest = rest.slice(unit.length);
    // The fraction as Go adds it, float64(f) * (float64(unit) / scale) truncated (BigInt('') and
    // Number('') are 0).
    total += BigInt(whole) * ns + BigInt(Math.trunc(Number(fraction) * (Number(ns) / 10 ** fraction.length)));
    if (total > MAX) return invalid;
  }
  return total > MAX - 1n && !s.startsWith('-') ? invalid : undefined;
}

// Longest month lengths (February in a leap year: robfig looks up to five years ahead).
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why a parsed schedule can never fire, or undefined when it can. robfig matches a day when
 * day-of-month AND day-of-week match if either was `*` or `?`, and when either matches otherwise;
 * a field of commas alone has no values and matches nothing.
 */
export function whyNeverFires(p: ParsedSchedule): string | undefined {
  if (!('fields' in p)) return undefined;
  const [minute, hour, dom, month, dow] = p.fields;
  const none = [minute, hour, month].findIndex((f) => f.values.size === 0);
  if (none !== -1) return `its ${['minute', 'hour', 'month'][none]} field lists no value`;
  const noDay = ![...month.values].some((m) => [...dom.values].some((d) => d <= DAYS_IN_MONTH[m]));
  const noWeekday = dow.values.size === 0;
  if (dom.star || dow.star ? !noDay && !noWeekday : !noDay || !noWeekday) return undefined;
  const reasons = [];
  if (noDay) reasons.push(dom.values.size === 0 ? 'its day of month field lists no value' : 'no month it names has the days of month it names');
  if (noWeekday) reasons.push('its day of week field lists no value');
  return reasons.join(', and ');
}

/** Whether a parsed schedule can never fire (see {@link whyNeverFires}). */
export function neverFires(p: ParsedSchedule): boolean {
  return whyNeverFires(p) !== undefined;
}
