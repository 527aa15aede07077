/**
 * CronJob schedules as the CronJob controller and the API server read them: a port of
 * github.com/robfig/cron/v3 `ParseStandard` (five fields or a descriptor; what
 * `pkg/apis/batch/validation` validateScheduleFormat calls), keeping each field's set of values so
 * that a schedule that can never fire is found.
 */

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

function parseNumber(expr: string, whole: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${whole}`);
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
    return i >= 0 ? i + b.min : parseNumber(s, expr);
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
    step = parseNumber(rangeAndStep[1], expr);
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) values.add(v);
  return star;
}

/** cron.ParseStandard. */
export function parseSchedule(schedule: string): ParsedSchedule {
  const s = schedule.trim();
  if (s.length === 0) return { error: 'empty spec string' };
  if (s.startsWith('@')) {
    if (s.startsWith('@every ')) return /^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$/.test(s.slice(7).trim()) ? { every: s.slice(7).trim() } : { error: `failed to parse duration ${s}` };
    if (!(s in DESCRIPTORS)) return { error: `unrecognized descriptor: ${s}` };
    return parseSchedule(DESCRIPTORS[s]);
  }
  const parts = s.split(/\s+/);
  if (parts.length !== 5) return { error: `expected exactly 5 fields, found ${parts.length}: ${schedule}` };
  try {
    return {
      fields: parts.map((part, i) => {
        const values = new Set<number>();
        let star = false;
        for (const expr of part.split(',')) star = parseRange(expr, FIELDS[i], values) || star;
        return { values, star };
      }),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// Longest month lengths (February in a leap year: robfig looks up to five years ahead).
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a parsed schedule can never fire: robfig matches a day when day-of-month AND
 * day-of-week match if either was `*`, and when either matches otherwise; so a schedule fires
 * only on days that exist in one of its months, unless its day-of-week alone can match.
 */
export function neverFires(p: ParsedSchedule): boolean {
  if (!('fields' in p)) return false;
  const [, , dom, month, dow] = p.fields;
  if (dom.star) return false;
  if (!dow.star) return false; // either field may match, and every weekday comes round
  for (const m of month.values) for (const d of dom.values) if (d <= DAYS_IN_MONTH[m]) return false;
  return true;
}
