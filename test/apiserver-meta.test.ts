/**
 * The rules every kind shares, called directly on small values: names, label keys and values,
 * annotations, label selectors and port names as Kubernetes 1.27 checks them
 * (k8s.io/apimachinery `pkg/util/validation`, `pkg/apis/meta/v1/validation`,
 * `pkg/api/validation`), with the exact words and field paths it refuses with, and the
 * field-error list that carries them.
 */
import { describe, expect, it } from 'vitest';
import { Errors, formatError, obj, sortedEntries } from '../src/apiserver/field';
import * as meta from '../src/apiserver/meta';

const a = (n: number) => 'a'.repeat(n);
const max = (n: number) => `must be no more than ${n} characters`;

const LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
const WILDCARD = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com')";
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123')";
const QUALIFIED = "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')";
const ENV_VAR = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name' or 'MY_ENV.NAME')";
const CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name' or 'KEY_NAME')";
const PORT_CHARSET = 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
const PORT_LETTER = 'must contain at least one letter (a-z)';
const PORT_HYPHENS = 'must not contain consecutive hyphens';
const PORT_ENDS = 'must not begin or end with a hyphen';
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

type Table = ReadonlyArray<readonly [string, readonly string[]]>;

/** Each case with a short title first: long values by their length. */
const titled = (table: Table) => table.map(([v, errors]) => [v.length > 24 ? `${v.slice(0, 12)}… (${v.length} characters)` : JSON.stringify(v), v, errors] as const);

describe('names', () => {
  it.each(titled([
    ['a', []],
    ['my-name', []],
    ['123-abc', []],
    [a(63), []],
    [a(64), [max(63)]],
    [`A${a(62)}`, [LABEL]],
    [`A${a(63)}`, [max(63), LABEL]],
    ['-a', [LABEL]],
    ['a-', [LABEL]],
    ['peripheral.prod', [LABEL]],
    ['', [LABEL]],
  ] as Table))('a DNS-1123 label (Namespace names, namespaces): %s', (_title, v, errors) => {
    expect(meta.isDNS1123Label(v)).toEqual(errors);
  });

  it.each(titled([
    ['a', []],
    ['a.b.c', []],
    ['example.com', []],
    ['a-b.c-d', []],
    ['10.0.0.1', []],
    // 1.27 limits only the whole name, not each label.
    [a(253), []],
    [a(254), [max(253)]],
    [`A${a(253)}`, [max(253), SUBDOMAIN]],
    ['Example.com', [SUBDOMAIN]],
    ['.a', [SUBDOMAIN]],
    ['a.', [SUBDOMAIN]],
    ['a..b', [SUBDOMAIN]],
    ['a.-b', [SUBDOMAIN]],
    ['a-.b', [SUBDOMAIN]],
    ['a_b', [SUBDOMAIN]],
    ['', [SUBDOMAIN]],
  ] as Table))('a DNS-1123 subdomain (most names, Ingress hosts): %s', (_title, v, errors) => {
    expect(meta.isDNS1123Subdomain(v)).toEqual(errors);
  });

  it.each(titled([
    ['*.example.com', []],
    ['*.a', []],
    [`*.${a(251)}`, []],
    [`*.${a(252)}`, [max(253)]],
    ['example.com', [WILDCARD]],
    ['xyexample.com', [WILDCARD]],
    ['*example.com', [WILDCARD]],
    ['*.*.example.com', [WILDCARD]],
    ['*.Example.com', [WILDCARD]],
    ['foo.*.example.com', [WILDCARD]],
  ] as Table))('a wildcard DNS-1123 subdomain (Ingress hosts with *): %s', (_title, v, errors) => {
    expect(meta.isWildcardDNS1123Subdomain(v)).toEqual(errors);
  });

  it.each(titled([
    ['a', []],
    ['my-name', []],
    ['abc-123', []],
    [a(63), []],
    [a(64), [max(63)]],
    ['1api', [DNS1035]],
    ['api-', [DNS1035]],
    ['api_v2', [DNS1035]],
    ['Api', [DNS1035]],
    ['', [DNS1035]],
  ] as Table))('a DNS-1035 label (Service names): %s', (_title, v, errors) => {
    expect(meta.isDNS1035Label(v)).toEqual(errors);
  });

  it.each(titled([
    ['app-reader', []],
    ['a.b', []],
    ['...', []],
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['a/b', ["may not contain '/'"]],
    ['a%b', ["may not contain '%'"]],
    ['a/%', ["may not contain '/'", "may not contain '%'"]],
  ] as Table))('a path segment (Role and RoleBinding names): %s', (_title, v, errors) => {
    expect(meta.isValidPathSegmentName(v)).toEqual(errors);
  });
});

describe('label keys and values', () => {
  it.each(titled([
    ['a', []],
    ['app', []],
    ['MyName', []],
    ['my.name', []],
    ['123-abc', []],
    [a(63), []],
    ['app.kubernetes.io/name', []],
    ['example.com/MyName', []],
    [`example.com/${a(63)}`, []],
    [a(64), [`name part ${max(63)}`]],
    [`example.com/${a(64)}`, [`name part ${max(63)}`]],
    [`A${a(62)}-`, [`name part ${max(63)}`, NAME_PART]],
    ['team name', [NAME_PART]],
    ['-app', [NAME_PART]],
    ['app_', [NAME_PART]],
    // Kubernetes checks the format of an empty name part too, and reports both.
    ['', ['name part must be non-empty', NAME_PART]],
    ['example.com/', ['name part must be non-empty', NAME_PART]],
    ['/name', ['prefix part must be non-empty']],
    ['/', ['prefix part must be non-empty', 'name part must be non-empty', NAME_PART]],
    ['Example.com/name', [`prefix part ${SUBDOMAIN}`]],
    [`${a(254)}/name`, [`prefix part ${max(253)}`]],
    ['a/b/c', [QUALIFIED]],
  ] as Table))('a qualified name (label and annotation keys, selector keys): %s', (_title, v, errors) => {
    expect(meta.isQualifiedName(v)).toEqual(errors);
    expect(meta.isQualifiedName(v), 'judged the same the second time').toEqual(errors);
  });

  it.each(titled([
    ['', []],
    ['a', []],
    ['MyValue', []],
    ['my_value', []],
    ['12345', []],
    ['a.b-c_d', []],
    [a(63), []],
    [a(64), [max(63)]],
    ['-x', [LABEL_VALUE]],
    [`${a(62)}-`, [LABEL_VALUE]],
    [`${a(63)}-`, [max(63), LABEL_VALUE]],
    ['a b', [LABEL_VALUE]],
  ] as Table))('a label value: %s', (_title, v, errors) => {
    expect(meta.isValidLabelValue(v)).toEqual(errors);
  });
});

describe('ports', () => {
  // IsValidPortName's checks, in Kubernetes' order.
  it.each(titled([
    ['h', []],
    ['http', []],
    ['http-api', []],
    ['a1', []],
    ['grpc-9090', []],
    [a(15), []],
    [a(16), [max(15)]],
    ['metrics-endpoint', [max(15)]],
    ['8080', [PORT_LETTER]],
    ['HTTP', [PORT_CHARSET, PORT_LETTER]],
    ['HTTP-web', [PORT_CHARSET]],
    ['web-UI', [PORT_CHARSET]],
    ['web_ui', [PORT_CHARSET]],
    ['http--api', [PORT_HYPHENS]],
    ['-http', [PORT_ENDS]],
    ['http-', [PORT_ENDS]],
    ['-', [PORT_LETTER, PORT_ENDS]],
    ['--', [PORT_LETTER, PORT_HYPHENS, PORT_ENDS]],
    ['', [PORT_CHARSET, PORT_LETTER]],
  ] as Table))('a port name (IANA_SVC_NAME): %s', (_title, v, errors) => {
    expect(meta.isValidPortName(v)).toEqual(errors);
  });

  it.each([
    [1, []],
    [8080, []],
    [65535, []],
    [0, [PORT_RANGE]],
    [-1, [PORT_RANGE]],
    [65536, [PORT_RANGE]],
    [80.5, [PORT_RANGE]],
    ['80', [PORT_RANGE]],
    [undefined, [PORT_RANGE]],
  ] as ReadonlyArray<readonly [unknown, readonly string[]]>)('a port number: %j', (v, errors) => {
    expect(meta.isValidPortNum(v)).toEqual(errors);
  });

  it('a port is a number or a name, by its type', () => {
    expect(meta.portNumOrName(8080)).toEqual([]);
    expect(meta.portNumOrName('http')).toEqual([]);
    expect(meta.portNumOrName('8080')).toEqual([PORT_LETTER]);
    expect(meta.portNumOrName(0)).toEqual([PORT_RANGE]);
  });
});

describe('env var names and config keys', () => {
  it.each(titled([
    ['MY_VAR', []],
    ['my.env-name', []],
    ['MY_ENV.NAME', []],
    ['.hidden', []],
    ['a..', []],
    ['.', ["must not be '.'"]],
    ['..', ["must not be '..'"]],
    ['..a', ["must not start with '..'"]],
    ['1BAD', [ENV_VAR]],
    ['MY VAR', [ENV_VAR]],
    ['MY=VAR', [ENV_VAR]],
    ['', [ENV_VAR]],
  ] as Table))('an env var name: %s', (_title, v, errors) => {
    expect(meta.isEnvVarName(v)).toEqual(errors);
  });

  it.each(titled([
    ['key.name', []],
    ['KEY_NAME', []],
    ['.env', []],
    [a(253), []],
    [a(254), [max(253)]],
    ['.', ["must not be '.'"]],
    ['..', ["must not be '..'"]],
    ['..data', ["must not start with '..'"]],
    ['a/b', [CONFIG_KEY]],
    ['', [CONFIG_KEY]],
  ] as Table))('a ConfigMap or Secret key: %s', (_title, v, errors) => {
    expect(meta.isConfigMapKey(v)).toEqual(errors);
  });
});

describe('IP addresses (an Ingress host must not be one)', () => {
  it.each(['10.0.0.1', '10.20.30.40', '255.255.255.255', '0.0.0.0', '010.001.0.1', '::1', '2001:db8::1'])('%s is an IP address', (v) => {
    expect(meta.isIP(v)).toBe(true);
  });

  it.each(['256.0.0.1', '1.2.3.256', '10.0.0.1.nip.io', 'app.10.0.0.1', '1.2.3', '1234.1.1.1', 'example.com', ''])('%j is not', (v) => {
    expect(meta.isIP(v)).toBe(false);
  });
});

/** The lines a validator adds to a fresh error list. */
function lines(check: (errs: Errors) => void): string[] {
  const errs = new Errors();
  check(errs);
  return errs.list.map(formatError);
}

describe('labels and annotations of an object', () => {
  const labels = (v: unknown) => lines((errs) => meta.validateLabels(v, 'metadata.labels', errs));
  const annotations = (v: unknown) => lines((errs) => meta.validateAnnotations(v, 'metadata.annotations', errs));

  it('accepts qualified keys and valid values, and no labels at all', () => {
    expect(labels({ app: 'web', 'app.kubernetes.io/name': 'api', empty: '' })).toEqual([]);
    expect(labels(undefined)).toEqual([]);
  });

  it('refuses a bad value at the map, as Kubernetes reports it, and a bad key', () => {
    expect(labels({ team: a(64) })).toEqual([`metadata.labels: invalid value "${a(64)}": ${max(63)}`]);
    expect(labels({ 'team name': 'x' })).toEqual([`metadata.labels: invalid value "team name": ${NAME_PART}`]);
  });

  it('reports in the order of the keys', () => {
    expect(labels({ b: '-x', a: '-y' })).toEqual([`metadata.labels: invalid value "-y": ${LABEL_VALUE}`, `metadata.labels: invalid value "-x": ${LABEL_VALUE}`]);
  });

  it('judges annotation keys in lower case', () => {
    expect(annotations({ 'Example.com/Note': 'x' })).toEqual([]);
    expect(annotations({ 'a/b/c': 'x' })).toEqual([`metadata.annotations: invalid value "a/b/c": ${QUALIFIED}`]);
    expect(annotations(undefined)).toEqual([]);
  });

  it('allows 256 KiB of annotation keys and values in bytes, not one more', () => {
    const tooLong = ['metadata.annotations: too long: must have at most 262144 bytes'];
    expect(annotations({ note: a(262_140) })).toEqual([]);
    expect(annotations({ note: a(262_141) })).toEqual(tooLong);
    expect(annotations({ a: a(131_071), b: a(131_071) })).toEqual([]);
    expect(annotations({ a: a(131_071), b: a(131_072) })).toEqual(tooLong);
    // 'é' is two bytes.
    expect(annotations({ note: 'é'.repeat(131_071) })).toEqual(tooLong);
  });
});

describe('object metadata', () => {
  const objectMeta = (m: unknown) => lines((errs) => meta.validateObjectMeta(m, meta.nameIsDNSSubdomain, errs));
  const required = 'metadata.name: required value: name or generateName is required';

  it('requires a name', () => {
    expect(objectMeta(undefined)).toEqual([required]);
    expect(objectMeta({ name: '' })).toEqual([required]);
  });

  it("judges the name by the kind's rule", () => {
    expect(objectMeta({ name: 'settings' })).toEqual([]);
    expect(lines((errs) => meta.validateObjectMeta({ name: 'a.b' }, meta.nameIsDNSLabel, errs))).toEqual([`metadata.name: invalid value "a.b": ${LABEL}`]);
  });

  it('leaves an empty namespace to the request (kubectl -n)', () => {
    expect(objectMeta({ name: 'settings', namespace: '' })).toEqual([]);
    expect(objectMeta({ name: 'settings', namespace: 'a.b' })).toEqual([`metadata.namespace: invalid value "a.b": ${LABEL}`]);
  });

  it('judges labels and annotations under their own paths', () => {
    expect(objectMeta({ name: 'settings', labels: { app: '-x' }, annotations: { 'a/b/c': '' } })).toEqual([
      `metadata.labels: invalid value "-x": ${LABEL_VALUE}`,
      `metadata.annotations: invalid value "a/b/c": ${QUALIFIED}`,
    ]);
  });
});

describe('label selectors', () => {
  const selector = (s: unknown) => lines((errs) => meta.validateLabelSelector(s, 'spec.selector', errs));
  const at = 'spec.selector.matchExpressions';

  it('accepts each operator used as it must be, and no selector', () => {
    expect(
      selector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'app.kubernetes.io/canary', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist', values: [] },
        ],
      }),
    ).toEqual([]);
    expect(selector(undefined)).toEqual([]);
  });

  it('needs values for In and NotIn, and none for Exists and DoesNotExist', () => {
    expect(selector({ matchExpressions: [{ key: 'tier', operator: 'NotIn' }] })).toEqual([`${at}[0].values: required value: must be specified when \`operator\` is 'In' or 'NotIn'`]);
    expect(selector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist', values: ['a'] }] })).toEqual([`${at}[0].values: forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`]);
  });

  it('refuses an unknown operator as Kubernetes does', () => {
    expect(selector({ matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['a'] }] })).toEqual([`${at}[0].operator: invalid value "Equals": not a valid selector operator`]);
    expect(selector({ matchExpressions: [null] })).toEqual([`${at}[0].operator: invalid value nothing: not a valid selector operator`, `${at}[0].key: invalid value nothing: name part must be non-empty`, `${at}[0].key: invalid value nothing: ${NAME_PART}`]);
  });

  it('refuses a bad key, an empty key, and bad values (since 1.26) at their index', () => {
    expect(selector({ matchExpressions: [{ key: '', operator: 'Exists' }] })).toEqual([`${at}[0].key: invalid value "": name part must be non-empty`, `${at}[0].key: invalid value "": ${NAME_PART}`]);
    expect(selector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', '-bad'] }] })).toEqual([`${at}[0].values[1]: invalid value "-bad": ${LABEL_VALUE}`]);
    expect(selector({ matchLabels: { app: '-x' } })).toEqual([`spec.selector.matchLabels: invalid value "-x": ${LABEL_VALUE}`]);
  });

  it('is empty when it has no requirement', () => {
    expect(meta.selectorIsEmpty(undefined)).toBe(true);
    expect(meta.selectorIsEmpty({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(meta.selectorIsEmpty({ matchLabels: { app: 'web' } })).toBe(false);
    expect(meta.selectorIsEmpty({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })).toBe(false);
  });

  const labels = { app: 'web', tier: 'api' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'web', tier: 'api' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchLabels: { env: 'prod' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['api'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'Equals' }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'zone', operator: 'Exists' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'zone', operator: 'DoesNotExist' }] }, true],
  ])('%j matches app=web,tier=api: %s', (s, matches) => {
    expect(meta.selectorMatches(s, labels)).toBe(matches);
  });
});

describe('field errors', () => {
  it('print as field: type: detail, without an empty detail', () => {
    const errs = new Errors();
    errs.required('spec.name');
    errs.required('spec.port', 'port name or number is required');
    errs.notFound('spec.volumeMounts[0].name', 'cache');
    errs.notFound('spec.volumeMounts[0].name', 'cache', 'no such volume');
    errs.invalid('spec.replicas', 0, 'must be greater than 0');
    errs.each('spec.name', 'x', []);
    expect(errs.list.map(formatError)).toEqual([
      'spec.name: required value',
      'spec.port: required value: port name or number is required',
      'spec.volumeMounts[0].name: not found "cache"',
      'spec.volumeMounts[0].name: not found "cache": no such volume',
      'spec.replicas: invalid value 0: must be greater than 0',
    ]);
  });

  it('read anything but a plain object as an empty one', () => {
    expect(obj(null)).toEqual({});
    expect(obj(['a'])).toEqual({});
    expect(obj('a')).toEqual({});
    const o = { a: 1 };
    expect(obj(o)).toBe(o);
  });

  it('come out in code-point order of map keys, however the map was written', () => {
    const keys = (v: Record<string, number>) => sortedEntries(v).map(([k]) => k);
    expect(keys({ b: 1, a: 2 })).toEqual(['a', 'b']);
    expect(keys({ a: 1, c: 2, b: 3 })).toEqual(['a', 'b', 'c']);
    expect(keys({ d: 1, c: 2, b: 3, a: 4, e: 5 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(keys({ b: 1, B: 2, a: 3, 'a.b': 4, 'a-b': 5 })).toEqual(['B', 'a', 'a-b', 'a.b', 'b']);
    expect(keys({ a: 1, b: 2, c: 3 })).toEqual(['a', 'b', 'c']);
    expect(sortedEntries({ b: 1, a: 2 })).toEqual([['a', 2], ['b', 1]]);
    expect(sortedEntries(undefined)).toEqual([]);
  });
});
