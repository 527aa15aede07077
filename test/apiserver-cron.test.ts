/**
 * CronJobs as the API server reads them: the schedule parser (src/apiserver/cron.ts, a port of
 * robfig/cron/v3 ParseStandard and of Go's time.ParseDuration for `@every`) with the values each
 * schedule parses to, its exact errors and the schedules that never fire; then the CronJob rules
 * of src/apiserver/workloads.ts on small documents.
 */
import { describe, expect, it } from 'vitest';
import { CronField, neverFires, parseSchedule, whyNeverFires } from '../src/apiserver/cron';
import { Errors, formatError } from '../src/apiserver/field';
import { validateCronJob } from '../src/apiserver/workloads';

type Doc = Record<string, any>;

/** The parsed fields of a schedule that parses (fails the test otherwise). */
function fields(schedule: string): CronField[] {
  const parsed = parseSchedule(schedule);
  if (!('fields' in parsed)) throw new Error(`${schedule}: ${JSON.stringify(parsed)}`);
  return parsed.fields;
}
const values = (f: CronField): number[] => [...f.values].sort((a, b) => a - b);
const range = (from: number, to: number, step = 1): number[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('cron fields', () => {
  it.each([
    ['a single value', '7', [7]],
    ['a value with a sign', '+5', [5]],
    ['a range', '1-5', range(1, 5)],
    ['a value and a step: to the end of the field', '5/15', [5, 20, 35, 50]],
    ['a range and a step', '1-10/3', [1, 4, 7, 10]],
    ['a list', '1,30-31', [1, 30, 31]],
    ['a list with an empty item (dropped, as strings.FieldsFunc drops it)', '1,,2,', [1, 2]],
    ['a list of commas alone: no value', ',', []],
    ['every value', '*', range(0, 59)],
    ['every other value', '*/2', range(0, 58, 2)],
  ])('reads %s (%s) in the minutes', (_name, minutes, expected) => {
    expect(values(fields(`${minutes} * * * *`)[0])).toEqual(expected);
  });

  it('reads month and weekday names in any case, as their numbers', () => {
    const [, , , months, days] = fields('0 0 * jan,FEB,mar,apr,may,jun,jul,aug,sep,oct,nov,dec sun,mon,tue,wed,thu,fri,sat');
    expect(values(months)).toEqual(range(1, 12));
    expect(values(days)).toEqual(range(0, 6));
    expect(values(fields('0 0 * feb-apr *')[3])).toEqual([2, 3, 4]);
  });

  it('marks * and ? with a step of at most 1 as every value (robfig\'s star bit), and nothing else', () => {
    const star = (dom: string) => fields(`0 0 ${dom} * *`)[2].star;
    expect(['*', '?', '*/1', '?/1', '1,*'].map(star)).toEqual([true, true, true, true, true]);
    expect(['*/2', '1-31', '5/1'].map(star)).toEqual([false, false, false]);
    expect(values(fields('0 0 ? * *')[2])).toEqual(range(1, 31));
  });

  it('splits fields on any run of white space, as strings.Fields does', () => {
    for (const s of ['0  3 * * *', ' 0 3 * * * ', '0\t3 * * *', '0\u00a03 * * *', '0\u00853 * * *']) expect(values(fields(s)[1]), JSON.stringify(s)).toEqual([3]);
  });

  it.each([
    ['@yearly', '0 0 1 1 *'],
    ['@annually', '0 0 1 1 *'],
    ['@monthly', '0 0 1 * *'],
    ['@weekly', '0 0 * * 0'],
    ['@daily', '0 0 * * *'],
    ['@midnight', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
  ])('reads %s as %s', (descriptor, schedule) => {
    expect(parseSchedule(descriptor)).toEqual(parseSchedule(schedule));
  });

  it.each([
    ['CRON_TZ=UTC 0 3 * * *', '0 3 * * *'],
    ['TZ=Europe/Berlin  @daily', '@daily'],
    ['TZ=Local 0 3 * * *', '0 3 * * *'],
    ['TZ= 0 3 * * *', '0 3 * * *'],
  ])('reads the time zone prefix of %j off (the API server refuses it apart)', (schedule, rest) => {
    expect(parseSchedule(schedule)).toEqual(parseSchedule(rest));
  });

  it.each(['1h30m', '0', '-1m', '+1m', '5.s', '.5s', '1.25h', '10ns', '10us', '10\u00b5s', '10\u03bcs', '10ms', '2562047h47m16.854775807s', '9223372036854775807ns', '-9223372036854775808ns'])('reads @every %s as a duration, as time.ParseDuration does', (duration) => {
    expect(parseSchedule(`@every ${duration}`)).toEqual({ every: duration });
  });
});

describe('cron errors', () => {
  const invalidInt = (s: string) => `failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`;
  it.each([
    ['', 'empty spec string'],
    ['   ', 'expected exactly 5 fields, found 0: []'],
    ['0 3 * *', 'expected exactly 5 fields, found 4: [0 3 * *]'],
    [' @daily', 'expected exactly 5 fields, found 1: [@daily]'],
    ['x 3 * * *', invalidInt('x')],
    ['x5 3 * * *', invalidInt('x5')],
    ['5x 3 * * *', invalidInt('5x')],
    ['0 0 1 foo *', invalidInt('foo')],
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 0 32 * *', 'end of range (32) above maximum (31): 32'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['0 0 1 13 *', 'end of range (13) above maximum (12): 13'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['TZ=Mars/Olympus 0 3 * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
    ['CRON_TZ=UTC', 'runtime error: slice bounds out of range [:-1]'],
    ['@often', 'unrecognized descriptor: @often'],
    ['@daily ', 'unrecognized descriptor: @daily '],
    ['@every ', 'failed to parse duration @every : time: invalid duration ""'],
    ['@every  1h', 'failed to parse duration @every  1h: time: invalid duration " 1h"'],
    ['@every .s', 'failed to parse duration @every .s: time: invalid duration ".s"'],
    ['@every 10', 'failed to parse duration @every 10: time: missing unit in duration "10"'],
    ...['2562048h', '2562047h47m16.854775808s', '9223372036854775808ns', '2562047h1h', '-2562047h1h', '-9223372036854775809ns', '99999999999999999999x'].map((d) => [`@every ${d}`, `failed to parse duration @every ${d}: time: invalid duration "${d}"`]),
    ['@every 1x', 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'],
    ['@every 1h-5m', 'failed to parse duration @every 1h-5m: time: unknown unit "h-" in duration "1h-5m"'],
    ['@every 1\u00b5x', 'failed to parse duration @every 1\u00b5x: time: unknown unit "\\xc2\\xb5x" in duration "1\\xc2\\xb5x"'],
    ['@every 1"', 'failed to parse duration @every 1": time: unknown unit "\\"" in duration "1\\""'],
    ['@every 1\\', 'failed to parse duration @every 1\\: time: unknown unit "\\\\" in duration "1\\\\"'],
    ['@every 1\t', 'failed to parse duration @every 1\t: time: unknown unit "\\x09" in duration "1\\x09"'],
  ])('refuses %j: %s', (schedule, error) => {
    expect(parseSchedule(schedule)).toEqual({ error });
  });
});

describe('schedules that never fire', () => {
  const NO_DAY = 'no month it names has the days of month it names';
  it.each([
    ['31 February, every weekday', '0 3 31 2 *', NO_DAY],
    ['31 February, weekday field ?', '0 3 31 2 ?', NO_DAY],
    ['31 February, every weekday by a step of 1', '0 3 31 2 */1', NO_DAY],
    ['31 February or every other weekday (either matches)', '0 3 31 2 */2', undefined],
    ['every day of February', '0 3 * 2 *', undefined],
    ['no minute', ', 3 * * *', 'its minute field lists no value'],
    ['no hour', '0 , * * *', 'its hour field lists no value'],
    ['no month', '0 3 * , *', 'its month field lists no value'],
    ['the 30th or 31st of April', '0 3 30,31 4 *', undefined],
    ['no day of month, every weekday', '0 3 , * *', 'its day of month field lists no value'],
    ['no day of month or Monday (either matches)', '0 3 , * 1', undefined],
    ['every day of month, no weekday', '0 3 * * ,', 'its day of week field lists no value'],
    ['the first or no weekday (either matches)', '0 3 1 * ,', undefined],
    ['neither days of month nor weekdays', '0 3 , * ,', 'its day of month field lists no value, and its day of week field lists no value'],
    ['31 February or no weekday', '0 3 31 2 ,', `${NO_DAY}, and its day of week field lists no value`],
    ['an @every schedule', '@every 1h', undefined],
    ['a schedule that does not parse', '0 3 31 2', undefined],
  ])('%s (%s)', (_name, schedule, why) => {
    expect(whyNeverFires(parseSchedule(schedule))).toBe(why);
    expect(neverFires(parseSchedule(schedule))).toBe(why !== undefined);
  });
});

function findings(doc: Doc): { errors: string[]; warnings: string[] } {
  const errs = new Errors();
  const warnings: string[] = [];
  validateCronJob(doc, errs, (field, message) => warnings.push(`${field}: ${message}`));
  return { errors: errs.list.map(formatError), warnings };
}
const errorsOf = (doc: Doc): string[] => findings(doc).errors;
const labels = { app: 'web' };
const jobSpec = (spec: Doc = {}): Doc => ({ template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0' }], restartPolicy: 'Never' } }, ...spec });
const cronJob = (spec: Doc = {}, jobTemplateSpec: Doc = {}): Doc => ({ metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: jobSpec(jobTemplateSpec) }, ...spec } });
const NOT_NEGATIVE = 'must be greater than or equal to 0';

describe('CronJob', () => {
  it('accepts a minimal CronJob, one without metadata, and a name of 52 characters', () => {
    expect(findings(cronJob())).toEqual({ errors: [], warnings: [] });
    expect(errorsOf({ spec: cronJob().spec })).toEqual([]);
    expect(errorsOf({ ...cronJob(), metadata: { name: 'a'.repeat(52) } })).toEqual([]);
  });

  it('requires a schedule', () => {
    expect(errorsOf(cronJob({ schedule: undefined }))).toEqual(['spec.schedule: required value']);
  });

  it('refuses a TZ in the schedule at spec.schedule, after the parser\'s own error if any', () => {
    expect(errorsOf(cronJob({ schedule: 'CRON_TZ=UTC 0 3 * * *' }))).toEqual(['spec.schedule: invalid value "CRON_TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
    expect(errorsOf(cronJob({ schedule: '0 3 * * * TZ' }))).toEqual([
      'spec.schedule: invalid value "0 3 * * * TZ": expected exactly 5 fields, found 6: [0 3 * * * TZ]',
      'spec.schedule: invalid value "0 3 * * * TZ": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('warns of a schedule that never fires, and not of an @every schedule', () => {
    expect(findings(cronJob({ schedule: '0 0 30 2 *' })).warnings).toEqual(['spec.schedule: "0 0 30 2 *" never fires: no month it names has the days of month it names']);
    expect(findings(cronJob({ schedule: '0 3 * * ,' })).warnings).toEqual(['spec.schedule: "0 3 * * ," never fires: its day of week field lists no value']);
    expect(findings(cronJob({ schedule: '@every 1h' }))).toEqual({ errors: [], warnings: [] });
  });

  it.each(['Europe/Berlin', 'Etc/GMT+5', 'UTC'])('accepts the time zone %s', (timeZone) => {
    expect(errorsOf(cronJob({ timeZone }))).toEqual([]);
  });

  it('refuses a time zone with a name part longer than 14 characters, which Intl still knows', () => {
    // IANA removed the zone in 2017; ICU still resolves it (to America/Regina).
    expect(errorsOf(cronJob({ timeZone: 'Canada/East-Saskatchewan' }))).toEqual(['spec.timeZone: invalid value "Canada/East-Saskatchewan": unknown time zone Canada/East-Saskatchewan']);
  });

  it.each([
    ['Local', ['timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']],
    ['local', ['timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones', 'unknown time zone local']],
    ['LOCAL', ['timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones', 'unknown time zone LOCAL']],
  ])('refuses the time zone %s, and looks up any spelling but Local in the tz database', (timeZone, details) => {
    expect(errorsOf(cronJob({ timeZone }))).toEqual(details.map((d) => `spec.timeZone: invalid value "${timeZone}": ${d}`));
  });

  it.each(['Allow', 'Forbid', 'Replace', ''])('accepts concurrencyPolicy %j', (concurrencyPolicy) => {
    expect(errorsOf(cronJob({ concurrencyPolicy }))).toEqual([]);
  });

  it('refuses another concurrencyPolicy', () => {
    expect(errorsOf(cronJob({ concurrencyPolicy: 'Sometimes' }))).toEqual(['spec.concurrencyPolicy: unsupported value "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
  });

  it.each(['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'])('refuses a negative %s, and accepts 0', (f) => {
    expect(errorsOf(cronJob({ [f]: -1 }))).toEqual([`spec.${f}: invalid value -1: ${NOT_NEGATIVE}`]);
    expect(errorsOf(cronJob({ [f]: 0 }))).toEqual([]);
  });

  it('reports in the order of ValidateCronJobCreate: the spec, then the length of the name', () => {
    const doc = cronJob({ schedule: '0 3 * *', startingDeadlineSeconds: -1, timeZone: 'Mars/Olympus', concurrencyPolicy: 'Sometimes', successfulJobsHistoryLimit: -1 }, { parallelism: -1 });
    doc.metadata.name = 'a'.repeat(53);
    expect(errorsOf(doc)).toEqual([
      'spec.schedule: invalid value "0 3 * *": expected exactly 5 fields, found 4: [0 3 * *]',
      `spec.startingDeadlineSeconds: invalid value -1: ${NOT_NEGATIVE}`,
      'spec.timeZone: invalid value "Mars/Olympus": unknown time zone Mars/Olympus',
      'spec.concurrencyPolicy: unsupported value "Sometimes": supported values: "Allow", "Forbid", "Replace"',
      `spec.jobTemplate.spec.parallelism: invalid value -1: ${NOT_NEGATIVE}`,
      `spec.successfulJobsHistoryLimit: invalid value -1: ${NOT_NEGATIVE}`,
      `metadata.name: invalid value "${'a'.repeat(53)}": must be no more than 52 characters`,
    ]);
  });

  it('validates the job template at its path', () => {
    expect(errorsOf(cronJob({}, { parallelism: -1 }))).toEqual([`spec.jobTemplate.spec.parallelism: invalid value -1: ${NOT_NEGATIVE}`]);
  });

  it('refuses a selector and a manual selector in the job template: the selector is always generated', () => {
    const selector = { matchLabels: labels };
    expect(errorsOf(cronJob({}, { selector }))).toEqual(['spec.jobTemplate.spec.selector: invalid value {"matchLabels":{"app":"web"}}: `selector` will be auto-generated']);
    expect(errorsOf(cronJob({}, { selector, manualSelector: true }))).toEqual([
      'spec.jobTemplate.spec.selector: invalid value {"matchLabels":{"app":"web"}}: `selector` will be auto-generated',
      'spec.jobTemplate.spec.manualSelector: unsupported value true: supported values: "nil", "false"',
    ]);
  });
});
