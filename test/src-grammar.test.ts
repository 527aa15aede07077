import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../src/apiserver/cron';
import {
  asList,
  cronSchedule,
  dnsLabel,
  dnsSubdomain,
  httpPath,
  ipv4Cidr,
  port,
  propShapes,
  quantity,
  serviceName,
  show,
  storageSize,
  timeZone,
  wholeNumber,
} from '../src/checks';
import { rangeOf, SPECIAL_RANGES, specialRangesReached } from '../src/ipv4';
import { formatBytes, formatCpu, millicores, parseQuantity, quantityValue } from '../src/quantity';

// The input grammars, each against the rule of Kubernetes' own validation (apimachinery's
// validation.IsDNS1123Label and friends, resource.ParseQuantity, robfig/cron's ParseStandard as
// the CronJob validation calls it): what a check accepts, the API server accepts too, and what
// it refuses is said in a message that quotes the value and what is allowed.

describe('names', () => {
  it('takes a DNS-1123 label of at most 63 characters, as IsDNS1123Label does', () => {
    for (const name of ['a', '1', 'api', 'a-b', 'a--b', '0day', 'x'.repeat(63)]) expect(dnsLabel(name), name).toBeUndefined();
    const long = 'x'.repeat(64);
    expect(dnsLabel(long)).toBe(`"${long}" is 64 characters long; at most 63 are allowed`);
    const notLabel = (v: string) => `"${v}" is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)`;
    for (const name of ['', 'API', 'a_b', 'a.b', '-a', 'a-', 'a b', ' a', 'a\n', 'é']) expect(dnsLabel(name), name).toBe(notLabel(name));
    expect(dnsLabel(42)).toBe('expected a name, got 42');
    expect(dnsLabel(undefined)).toBe('expected a name, got nothing');
  });

  it('takes a shorter limit where a name is prefixed or suffixed', () => {
    expect(dnsLabel('abcde', 5)).toBeUndefined();
    expect(dnsLabel('abcdef', 5)).toBe('"abcdef" is 6 characters long; at most 5 are allowed');
  });

  it('takes a Service name only as a DNS-1035 label: starting with a letter', () => {
    for (const name of ['a', 'z9', 'api', 'payments-v2']) expect(serviceName(name), name).toBeUndefined();
    expect(serviceName('1api')).toBe('"1api" names a Service, so it must start with a letter (DNS-1035 label)');
    // A name that is no label at all is told so first, with the label's own rule.
    expect(serviceName('Api')).toBe(dnsLabel('Api'));
    expect(serviceName('x'.repeat(64))).toMatch(/is 64 characters long; at most 63 are allowed$/);
    expect(serviceName('abcdef', 5)).toBe('"abcdef" is 6 characters long; at most 5 are allowed');
    expect(serviceName(7)).toBe('expected a name, got 7');
  });

  it('takes a DNS-1123 subdomain of at most 253 characters, as IsDNS1123Subdomain does', () => {
    const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(longest).toHaveLength(253);
    for (const host of ['example.com', 'a', 'app.example.com', 'a-1.b-2', '1.2', longest]) expect(dnsSubdomain(host), host).toBeUndefined();
    expect(dnsSubdomain(`${longest}x`)).toBe(`"${longest}x" is 254 characters long; at most 253 are allowed`);
    expect(dnsSubdomain('abc', 2)).toBe('"abc" is 3 characters long; at most 2 are allowed');
    const notSubdomain = (v: string) => `"${v}" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`;
    for (const host of ['', 'App.example.com', 'a..b', '.a', 'a.', 'a.-b', 'a-.b', 'a_b.com', '*.example.com', 'a b']) expect(dnsSubdomain(host), host).toBe(notSubdomain(host));
    expect(dnsSubdomain(null)).toBe('expected a DNS name, got null');
  });
});

describe('numbers', () => {
  it('takes a port from 1 to 65535, a whole number', () => {
    for (const p of [1, 80, 65535]) expect(port(p), String(p)).toBeUndefined();
    for (const p of [0, -1, 65536, 80.5, Number.NaN]) expect(port(p), String(p)).toBe(`${show(p)} is not a port; use a whole number from 1 to 65535`);
    expect(port('80')).toBe('"80" is not a port; use a whole number from 1 to 65535');
  });

  it('takes a whole number within its bounds, and says them', () => {
    expect(wholeNumber(1, 1, 3)).toBeUndefined();
    expect(wholeNumber(3, 1, 3)).toBeUndefined();
    expect(wholeNumber(0, 1, 3)).toBe('0 is not allowed; use a whole number from 1 to 3');
    expect(wholeNumber(4, 1, 3)).toBe('4 is not allowed; use a whole number from 1 to 3');
    expect(wholeNumber(1.5, 1, 3)).toBe('1.5 is not allowed; use a whole number from 1 to 3');
    expect(wholeNumber('2', 1, 3)).toBe('"2" is not allowed; use a whole number from 1 to 3');
    // Without an upper bound: any safe integer from the minimum up.
    expect(wholeNumber(Number.MAX_SAFE_INTEGER, 0)).toBeUndefined();
    expect(wholeNumber(-1, 0)).toBe('-1 is not allowed; use a whole number from 0 up');
    expect(wholeNumber(2 ** 53, 0)).toBe(`${2 ** 53} is not allowed; use a whole number from 0 up`);
  });
});

describe('quantities', () => {
  it('refuses what is not a quantity string, zero and up', () => {
    expect(quantity('0')).toBeUndefined();
    expect(quantity(1)).toBe('1 is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"');
    expect(quantity(undefined)).toBe('nothing is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"');
    expect(quantity('-0.5Gi')).toBe('"-0.5Gi" is negative; use e.g. "250m", "512Mi" or "20Gi"');
  });

  it('keeps the suffix as written', () => {
    expect(parseQuantity('1.5Gi')).toEqual({ value: 1.5 * 2 ** 30, suffix: 'Gi' });
    expect(parseQuantity('250m')).toEqual({ value: 0.25, suffix: 'm' });
    expect(parseQuantity('12')).toEqual({ value: 12, suffix: '' });
    expect(parseQuantity('.25')).toEqual({ value: 0.25, suffix: '' });
    expect(parseQuantity('2e12')).toEqual({ value: 2e12, suffix: 'e12' });
    expect(parseQuantity('5e3')).toEqual({ value: 5000, suffix: 'e3' });
    expect(parseQuantity('5E-2')).toEqual({ value: 0.05, suffix: 'e-2' });
    expect(parseQuantity('0e5')).toEqual({ value: 0, suffix: 'e5' });
  });

  it('reads each binary suffix as a power of 1024 and each decimal one as a power of 1000', () => {
    const binary = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
    binary.forEach((s, i) => expect(quantityValue(`3${s}`), s).toBe(3 * 1024 ** (i + 1)));
    const decimal: Array<[string, number]> = [['n', -3], ['u', -2], ['m', -1], ['k', 1], ['M', 2], ['G', 3], ['T', 4], ['P', 5], ['E', 6]];
    for (const [s, power] of decimal) expect(quantityValue(`3${s}`) / (3 * 1000 ** power), s).toBeCloseTo(1, 12);
  });

  it('reads an absent quantity as 0, a number as itself and anything else as NaN', () => {
    expect(quantityValue(undefined)).toBe(0);
    expect(quantityValue(2.5)).toBe(2.5);
    expect(quantityValue('2 cores')).toBeNaN();
  });

  it('rounds CPU to whole millicores', () => {
    expect(millicores('0.0004')).toBe(0);
    expect(millicores('0.0006')).toBe(1);
    expect(millicores(2)).toBe(2000);
    expect(millicores(undefined)).toBe(0);
  });

  it('takes a storage size in bytes: any quantity that is no fraction of a byte', () => {
    for (const size of ['1', '20Gi', '500M', '1e3', '1.5Ki']) expect(storageSize(size), size).toBeUndefined();
    expect(storageSize('20 GB')).toBe(quantity('20 GB'));
    expect(storageSize(20)).toBe('20 is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"');
    expect(storageSize('-1Gi')).toBe('"-1Gi" is negative; use e.g. "250m", "512Mi" or "20Gi"');
  });

  it('shows CPU as cores, or as millicores under one core', () => {
    const cases: Array<[number, string]> = [
      [0, '0'], [250, '250m'], [999, '999m'], [1000, '1'], [1500, '1.5'], [1250, '1.25'], [1050, '1.05'], [1001, '1'], [2000, '2'], [12500, '12.5'],
    ];
    for (const [milli, shown] of cases) expect(formatCpu(milli), String(milli)).toBe(shown);
  });

  it('shows bytes in the largest binary unit they fill, to two decimals', () => {
    const cases: Array<[number, string]> = [
      [0, '0'], [1023, '1023'], [1024, '1Ki'], [1536, '1.5Ki'], [512 * 2 ** 20, '512Mi'], [2 ** 30 - 1, '1024Mi'], [1.5 * 2 ** 30, '1.5Gi'],
      [1.05 * 2 ** 30, '1.05Gi'], [2 ** 30 + 2 ** 20, '1Gi'], [200 * 2 ** 30, '200Gi'], [2 ** 40, '1Ti'], [3 * 2 ** 50, '3072Ti'],
    ];
    for (const [bytes, shown] of cases) expect(formatBytes(bytes), String(bytes)).toBe(shown);
  });
});

describe('cron schedules', () => {
  const fieldError = (value: string, field: string, part: string, range: string) =>
    `"${value}": ${field} field "${part}" is not valid (${range}, '*', ranges, lists and steps)`;

  it('takes each field from its lowest value to its highest, and no further', () => {
    const fields: Array<[name: string, min: number, max: number]> = [['minute', 0, 59], ['hour', 0, 23], ['day of month', 1, 31], ['month', 1, 12], ['day of week', 0, 6]];
    fields.forEach(([name, min, max], i) => {
      const at = (v: string) => ['0', '0', '1', '1', '0'].map((d, j) => (j === i ? v : d)).join(' ');
      expect(cronSchedule(at(String(min))), name).toBeUndefined();
      expect(cronSchedule(at(String(max))), name).toBeUndefined();
      expect(cronSchedule(at(`${min}-${max}`)), name).toBeUndefined();
      for (const out of [min - 1, max + 1].filter((v) => v >= 0)) expect(cronSchedule(at(String(out)))).toBe(fieldError(at(String(out)), name, String(out), `${min}-${max}`));
    });
  });

  it('takes the month and weekday names in any case, as numbers in order', () => {
    const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
    months.forEach((m, i) => {
      expect(cronSchedule(`0 0 1 ${m} *`), m).toBeUndefined();
      expect(cronSchedule(`0 0 1 ${m.toUpperCase()}-${i + 1} *`), m).toBeUndefined();
      if (i > 0) expect(cronSchedule(`0 0 1 ${m}-${i} *`), m).toMatch(/month field .* is not valid/);
    });
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    days.forEach((d, i) => {
      expect(cronSchedule(`0 0 * * ${d}`), d).toBeUndefined();
      expect(cronSchedule(`0 0 * * ${i}-${d.toUpperCase()}`), d).toBeUndefined();
      if (i > 0) expect(cronSchedule(`0 0 * * ${d}-${i - 1}`), d).toMatch(/day of week field .* is not valid/);
    });
    // Names belong to their own field.
    expect(cronSchedule('0 0 1 * jan')).toBe(fieldError('0 0 1 * jan', 'day of week', 'jan', '0-6'));
    expect(cronSchedule('mon 0 * * *')).toBe(fieldError('mon 0 * * *', 'minute', 'mon', '0-59'));
  });

  it('takes ranges, lists and steps, and refuses their malformed kin', () => {
    for (const s of ['*/1 * * * *', '*/15 * * * *', '5/15 * * * *', '0 3 ? * mon', '? ? ? ? ?', '?/5 * * * *', '0-30/10 * * * *', '5-5 * * * *', '0,15,30,45 * * * *', '0 9-17 * * mon-fri', '0 0 1,15 */2 *']) {
      expect(cronSchedule(s), s).toBeUndefined();
    }
    const bad: Array<[string, string, string, string]> = [
      ['*/0 * * * *', 'minute', '*/0', '0-59'],
      ['*/a * * * *', 'minute', '*/a', '0-59'],
      ['*/a1 * * * *', 'minute', '*/a1', '0-59'],
      ['*/1a * * * *', 'minute', '*/1a', '0-59'],
      ['*/1e1 * * * *', 'minute', '*/1e1', '0-59'],
      ['1e1 * * * *', 'minute', '1e1', '0-59'],
      ['0x1 * * * *', 'minute', '0x1', '0-59'],
      ['*/1/2 * * * *', 'minute', '*/1/2', '0-59'],
      ['1-2-3 * * * *', 'minute', '1-2-3', '0-59'],
      ['30-10 * * * *', 'minute', '30-10', '0-59'],
      ['1a * * * *', 'minute', '1a', '0-59'],
      ['a1 * * * *', 'minute', 'a1', '0-59'],
      ['0 */-1 * * *', 'hour', '*/-1', '0-23'],
      ['0 0 L * *', 'day of month', 'L', '1-31'],
      ['0 0 * * 1#2', 'day of week', '1#2', '0-6'],
      ['0 0 * * 1,8', 'day of week', '1,8', '0-6'],
    ];
    for (const [s, field, part, range] of bad) expect(cronSchedule(s), s).toBe(fieldError(s, field, part, range));
  });

  it('takes exactly five fields, or one of the descriptors', () => {
    expect(cronSchedule('0 3 * *')).toBe('"0 3 * *" has 4 fields; a schedule has 5 (minute hour day-of-month month day-of-week)');
    expect(cronSchedule('0 0 3 * * *')).toBe('"0 0 3 * * *" has 6 fields; a schedule has 5 (minute hour day-of-month month day-of-week)');
    expect(cronSchedule('')).toBe('"" has 0 fields; a schedule has 5 (minute hour day-of-month month day-of-week)');
    for (const d of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']) expect(cronSchedule(d), d).toBeUndefined();
    expect(cronSchedule('@often')).toBe('"@often" is not a known descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)');
    expect(cronSchedule(3)).toBe('expected a cron schedule, got 3');
  });

  it('refuses an inline time zone, which the API server refuses too', () => {
    for (const s of ['TZ=UTC 0 3 * * *', 'CRON_TZ=Europe/Berlin 0 3 * * *', ' TZ=UTC 0 3 * * *']) {
      expect(cronSchedule(s), s).toBe(`"${s}" sets its time zone inline; put the zone in timeZone instead`);
    }
    // Elsewhere it is no prefix, and the field it stands in is wrong.
    expect(cronSchedule('0 3 * * TZ=1')).toBe(fieldError('0 3 * * TZ=1', 'day of week', 'TZ=1', '0-6'));
  });

  it('splits fields on whitespace where the controller does, and takes a descriptor only as it is', () => {
    // strings.Fields: any run of Go's unicode spaces, at either end too.
    for (const s of [' 0 3 * * *', '0\t3 * * *\n', '0  3\u00a0* * *', '0 3\u0085* * *']) expect(cronSchedule(s), JSON.stringify(s)).toBeUndefined();
    // U+FEFF is no space to Go: "*\uFEFF*" is one field, and no number.
    expect(cronSchedule('0 3 * *\ufeff*')).toBe('"0 3 * *\ufeff*" has 4 fields; a schedule has 5 (minute hour day-of-month month day-of-week)');
    expect(cronSchedule('0 3 * * *\ufeff')).toBe(fieldError('0 3 * * *\ufeff', 'day of week', '*\ufeff', '0-6'));
    // robfig reads "@daily " as an unknown descriptor and " @daily" as one field.
    for (const s of ['@daily ', ' @daily', '\t@hourly\n']) {
      expect(parseSchedule(s), JSON.stringify(s)).toHaveProperty('error');
      expect(cronSchedule(s)).toBe(`"${s}" has spaces around its descriptor; write "${s.trim()}"`);
    }
  });

  // Schedules of four to six fields built from the pieces of the grammar and its near misses
  // (about one in ten is valid).
  const common = fc.constantFrom('*', '1', '5');
  const rare = fc.constantFrom('0', '12', '7', '23', '31', '59', '60', '', '?', 'jan', 'DEC', 'mon', 'sun', 'x', '\ufeff');
  const value = fc.oneof({ arbitrary: common, weight: 6 }, { arbitrary: rare, weight: 1 });
  const item = fc.oneof(
    { arbitrary: value, weight: 6 },
    { arbitrary: fc.tuple(value, value).map(([a, b]) => `${a}-${b}`), weight: 1 },
    { arbitrary: fc.tuple(value, value).map(([a, b]) => `${a}/${b}`), weight: 1 },
  );
  const field = fc.array(item, { minLength: 1, maxLength: 2 }).map((items) => items.join(','));
  const space = fc.oneof({ arbitrary: fc.constant(' '), weight: 6 }, { arbitrary: fc.constantFrom('  ', '\t', '\u00a0', '\u0085', ''), weight: 1 });
  const fields = fc.oneof({ arbitrary: fc.array(fc.tuple(field, space), { minLength: 5, maxLength: 5 }), weight: 6 }, { arbitrary: fc.array(fc.tuple(field, space), { minLength: 4, maxLength: 6 }), weight: 1 });
  const schedules = fc
    .tuple(space, fields, fc.constantFrom('', '', '', '@daily', '@every'))
    .map(([lead, fs, descriptor]) => lead + (descriptor ? descriptor + fs[0][1] : fs.map(([f, sep]) => f + sep).join('')));

  it('accepts no schedule that the controller refuses', () => {
    fc.assert(
      fc.property(schedules, (s) => {
        if (cronSchedule(s) === undefined) expect(parseSchedule(s), JSON.stringify(s)).not.toHaveProperty('error');
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses no schedule the controller takes, but for empty list items and robfig's '*-n'", () => {
    // robfig drops the empty items of "1,,2" and reads "*-5" as "*": both are refused here as typos.
    const typo = (s: string) => s.split(/[\s\u0085]/).some((f) => f !== '' && (f.split(',').includes('') || /[*?]-/.test(f)));
    fc.assert(
      fc.property(schedules, (s) => {
        if (!('error' in parseSchedule(s)) && !typo(s)) expect(cronSchedule(s), JSON.stringify(s)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});

describe('time zones', () => {
  const notZone = (v: string) => `${v} is not an IANA time zone name; use e.g. "UTC" or "Europe/Berlin"`;

  it('takes IANA names, and the links the tz database keeps for old ones', () => {
    for (const z of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'America/Port-au-Prince', 'Etc/GMT+5', 'Etc/GMT-14', 'US/Eastern', 'EST5EDT']) {
      expect(timeZone(z), z).toBeUndefined();
    }
  });

  it('refuses names the tz database does not have, and malformed ones, with the same message', () => {
    for (const z of ['Mars/Base', 'Europe/Atlantis', 'Local', 'local']) expect(timeZone(z), z).toBe(notZone(`"${z}"`));
    for (const z of ['', '1UTC', '/UTC', 'Europe/', 'Europe//Berlin', 'Europe/../Berlin', 'Europe/Berlin ', 'Europe Berlin', '+01:00']) expect(timeZone(z), z).toBe(notZone(`"${z}"`));
    expect(timeZone(1)).toBe(notZone('1'));
    expect(timeZone(undefined)).toBe(notZone('nothing'));
  });

  it('refuses a part of a name longer than 14 characters, as the API server does', () => {
    // validateTimeZone: each part between '/' matches [A-Za-z.\-_0-9+]{1,14}; Intl still
    // resolves this name, which the tz database dropped in 2017.
    expect(timeZone('Canada/East-Saskatchewan')).toBe(notZone('"Canada/East-Saskatchewan"'));
    expect(timeZone('America/Argentina/ComodRivadavia')).toBeUndefined();
  });

  it("refuses a name spelled in another case than the database's", () => {
    expect(timeZone('europe/berlin')).toBe('"europe/berlin" is spelled "Europe/Berlin" in the IANA database');
    expect(timeZone('utc')).toBe('"utc" is spelled "UTC" in the IANA database');
    // The same verdict a second time, from the names already judged.
    expect(timeZone('europe/berlin')).toBe('"europe/berlin" is spelled "Europe/Berlin" in the IANA database');
  });
});

describe('network input', () => {
  it('takes an IPv4 CIDR with octets up to 255 and a prefix up to 32', () => {
    for (const c of ['10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '169.254.20.10/32', '10.1.2.3/8']) expect(ipv4Cidr(c), c).toBeUndefined();
    for (const c of ['256.0.0.0/8', '10.0.0.0/33', '10.0.0/8', '10.0.0.0', '10.0.0.0/', '1000.0.0.0/8', '10.0.0.0/8 ', ' 10.0.0.0/8', '10.0.0.0/128', '10.0.0.a/8', '::/0']) {
      expect(ipv4Cidr(c), c).toBe(`"${c}" is not an IPv4 CIDR such as "10.0.0.0/8"`);
    }
    expect(ipv4Cidr(undefined)).toBe('nothing is not an IPv4 CIDR such as "10.0.0.0/8"');
    // Only a string renders as one in YAML.
    expect(ipv4Cidr(new String('10.0.0.0/8'))).toBe('"10.0.0.0/8" is not an IPv4 CIDR such as "10.0.0.0/8"');
  });

  it('takes an HTTP path that starts with "/" and holds no spaces', () => {
    for (const p of ['/', '/healthz', '/api/v1?x=1']) expect(httpPath(p), p).toBeUndefined();
    for (const p of ['', 'healthz', ' /healthz', '/health z', '/healthz ', '/a\tb']) expect(httpPath(p), p).toBe(`"${p}" is not an HTTP path; it must start with "/" and hold no spaces`);
    expect(httpPath(['/'])).toBe('["/"] is not an HTTP path; it must start with "/" and hold no spaces');
  });
});

describe('IPv4 ranges', () => {
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

  it('reads a CIDR as its first and last address, host bits dropped', () => {
    expect(rangeOf('10.0.0.0/8')).toEqual({ first: 10 * 2 ** 24, last: 11 * 2 ** 24 - 1 });
    const r = rangeOf('192.168.7.9/22')!;
    expect([dotted(r.first), dotted(r.last)]).toEqual(['192.168.4.0', '192.168.7.255']);
    expect(rangeOf('0.0.0.0/0')).toEqual({ first: 0, last: 2 ** 32 - 1 });
    expect(rangeOf('255.255.255.255/32')).toEqual({ first: 2 ** 32 - 1, last: 2 ** 32 - 1 });
    for (const c of ['256.0.0.0/8', '10.0.0.0/33', '10.0.0.0', 'ten/8', '1000.0.0.0/8', '10.0.0.0/8 ']) expect(rangeOf(c), c).toBeUndefined();
  });

  it('lists the special-purpose blocks in address order, each named with its RFC, none inside another', () => {
    const ranges = SPECIAL_RANGES.map((s) => rangeOf(s.cidr)!);
    ranges.slice(1).forEach((r, i) => expect(r.first, SPECIAL_RANGES[i + 1].cidr).toBeGreaterThan(ranges[i].last));
    for (const s of SPECIAL_RANGES) {
      expect(s.name, s.cidr).toMatch(/\w{3}/);
      expect(s.rfc, s.cidr).toMatch(/^RFC \d+(, RFC \d+)*$/);
    }
    expect(specialRangesReached('0.0.0.0/0').map((s) => s.cidr)).toEqual(SPECIAL_RANGES.map((s) => s.cidr));
  });

  it('counts as internal exactly the blocks that reach the node, its network or the cloud', () => {
    const internal = specialRangesReached('0.0.0.0/0', [], (s) => s.internal).map((s) => `${s.cidr} ${s.name}`);
    expect(internal).toEqual([
      '0.0.0.0/8 "this network"',
      '10.0.0.0/8 private-use',
      '100.64.0.0/10 shared address space (carrier-grade NAT)',
      '127.0.0.0/8 loopback',
      '169.254.0.0/16 link-local (cloud metadata 169.254.169.254)',
      '172.16.0.0/12 private-use',
      '192.168.0.0/16 private-use',
    ]);
    // Documentation, benchmarking and multicast ranges reach nothing of ours.
    const external = SPECIAL_RANGES.filter((s) => !s.internal).map((s) => s.cidr);
    expect(external).toEqual(expect.arrayContaining(['192.0.2.0/24', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4']));
    expect(external).toHaveLength(SPECIAL_RANGES.length - internal.length);
  });

  it('finds the blocks a range reaches, partly or wholly', () => {
    const reached = (cidr: string, except: string[] = []) => specialRangesReached(cidr, except).map((s) => s.cidr);
    expect(reached('10.1.0.0/16')).toEqual(['10.0.0.0/8']);
    expect(reached('172.0.0.0/8')).toEqual(['172.16.0.0/12']);
    expect(reached('192.0.0.0/16')).toEqual(['192.0.0.0/24', '192.0.2.0/24']);
    expect(reached('52.94.76.0/24')).toEqual([]);
    expect(reached('not a cidr')).toEqual([]);
  });

  it('leaves out a block whose part in the range the exceptions cover, in any order and adjacent', () => {
    const reached = (cidr: string, except: string[]) => specialRangesReached(cidr, except).map((s) => s.cidr);
    // Only the block's part inside the range needs covering, not the whole block.
    expect(reached('10.1.0.0/16', ['10.1.0.0/16'])).toEqual([]);
    expect(reached('10.1.0.0/16', ['10.1.0.0/17', '10.1.128.0/17'])).toEqual([]);
    expect(reached('10.1.0.0/16', ['10.1.128.0/17', '10.1.0.0/17'])).toEqual([]);
    expect(reached('172.0.0.0/8', ['172.16.0.0/12'])).toEqual([]);
    // A hole anywhere keeps the block reached: at the start, in the middle, at the very end.
    expect(reached('10.1.0.0/16', ['10.1.0.1/32', '10.1.0.2/31', '10.1.0.4/30', '10.1.0.8/29', '10.1.0.16/28', '10.1.0.32/27', '10.1.0.64/26', '10.1.0.128/25', '10.1.1.0/24', '10.1.2.0/23', '10.1.4.0/22', '10.1.8.0/21', '10.1.16.0/20', '10.1.32.0/19', '10.1.64.0/18', '10.1.128.0/17'])).toEqual(['10.0.0.0/8']);
    expect(reached('10.1.0.0/16', ['10.1.0.0/17', '10.1.129.0/24', '10.1.128.0/24', '10.1.131.0/24'])).toEqual(['10.0.0.0/8']);
    expect(reached('10.1.0.0/16', ['10.1.0.0/17', '10.1.128.0/18', '10.1.192.0/19', '10.1.224.0/20', '10.1.240.0/21', '10.1.248.0/22', '10.1.252.0/23', '10.1.254.0/24', '10.1.255.0/25', '10.1.255.128/26', '10.1.255.192/27', '10.1.255.224/28', '10.1.255.240/29', '10.1.255.248/30', '10.1.255.252/31', '10.1.255.254/32'])).toEqual(['10.0.0.0/8']);
    // An exception that is no CIDR covers nothing.
    expect(reached('10.1.0.0/16', ['10.1.0.0/16x'])).toEqual(['10.0.0.0/8']);
  });
});

describe('showing values in messages', () => {
  it('quotes strings and writes other values as JSON, or as JavaScript when JSON has none', () => {
    expect(show('a')).toBe('"a"');
    expect(show(undefined)).toBe('nothing');
    expect(show(null)).toBe('null');
    expect(show(3)).toBe('3');
    expect(show({ a: [1] })).toBe('{"a":[1]}');
    expect(show(() => 1)).toBe('() => 1');
    expect(show(10n)).toBe('10');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(show(loop)).toBe('[object Object]');
  });
});

describe('prop shapes', () => {
  it('reads a list only when it is one', () => {
    const list = ['a'];
    expect(asList(list)).toBe(list);
    expect(asList(undefined)).toEqual([]);
    expect(asList('a' as unknown as string[])).toEqual([]);
  });

  it('names each prop of the wrong JavaScript type, and passes absent ones', () => {
    const spec = { lists: ['env', 'ports'], records: ['labels', 'annotations'], objects: ['storage', 'probe'], strings: ['image', 'tag'] };
    expect(propShapes({ env: [], labels: {}, storage: {}, image: 'x' }, spec)).toEqual([]);
    expect(propShapes({}, spec)).toEqual([]);
    // A spec names only the kinds of props it has.
    expect(propShapes({ env: 'A=1', image: 3 }, { lists: ['env'] })).toEqual([['env', 'expected a list, got "A=1"']]);
    expect(propShapes({ env: 'A=1', image: 3 }, { strings: ['image'] })).toEqual([['image', 'expected a string, got 3']]);
    expect(
      propShapes({ env: 'A=1', ports: [80], labels: ['a'], annotations: null, storage: '20Gi', probe: [], image: 3, tag: 'v1' }, spec),
    ).toEqual([
      ['env', 'expected a list, got "A=1"'],
      ['labels', 'expected an object of names to values, got ["a"]'],
      ['annotations', 'expected an object of names to values, got null'],
      ['storage', 'expected an object, got "20Gi"'],
      ['probe', 'expected an object, got []'],
      ['image', 'expected a string, got 3'],
    ]);
  });

  it('refuses props that are no object', () => {
    expect(propShapes(undefined, { lists: ['env'] })).toEqual([['props', 'expected an object of props, got nothing']]);
    expect(propShapes(null, {})).toEqual([['props', 'expected an object of props, got null']]);
    expect(propShapes('api', {})).toEqual([['props', 'expected an object of props, got "api"']]);
  });
});
