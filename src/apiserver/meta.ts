/**
 * Names, labels, annotations and label selectors: ports of k8s.io/apimachinery
 * `pkg/util/validation` (IsDNS1123Label, IsQualifiedName, IsValidLabelValue, IsValidPortName, …),
 * `pkg/api/validation` (ValidateObjectMeta, ValidateAnnotations) and
 * `pkg/apis/meta/v1/validation` (ValidateLabels, ValidateLabelSelector), as of Kubernetes 1.27.
 */
import { isIPv6 } from 'node:net';
import { child, Errors, list, obj, sortedEntries } from './field';

const maxLen = (n: number) => `must be no more than ${n} characters`;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WILDCARD = new RegExp(`^\\*\\.${SUBDOMAIN.source.slice(1)}`);
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

// The validators below return this one empty list for a valid value (most values are valid).
const NONE: string[] = [];

/** The shape of most `IsXxx` checks: at most `max` characters, then the format. */
function lengthAndFormat(v: string, max: number, format: RegExp, message: string): string[] {
  const long = v.length > max;
  const bad = !format.test(v);
  if (!long && !bad) return NONE;
  const errs: string[] = [];
  if (long) errs.push(maxLen(max));
  if (bad) errs.push(message);
  return errs;
}

/** IsDNS1123Label. */
export function isDNS1123Label(v: string): string[] {
  return lengthAndFormat(v, 63, LABEL, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')");
}

/** IsDNS1123Subdomain (1.27: the whole name at most 253 characters; no limit per label). */
export function isDNS1123Subdomain(v: string): string[] {
  return lengthAndFormat(v, 253, SUBDOMAIN, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')");
}

/** IsWildcardDNS1123Subdomain: `*.` followed by a subdomain. */
export function isWildcardDNS1123Subdomain(v: string): string[] {
  return lengthAndFormat(v, 253, WILDCARD, "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com')");
}

/** IsDNS1035Label (Service names). */
export function isDNS1035Label(v: string): string[] {
  return lengthAndFormat(v, 63, DNS1035, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123')");
}

// Label and annotation keys repeat across every object: judge each one once.
const qualifiedNames = new Map<string, string[]>();

/** IsQualifiedName: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function isQualifiedName(v: string): string[] {
  if (v.length <= 63 && QUALIFIED_NAME.test(v)) return NONE;
  let verdict = qualifiedNames.get(v);
  if (verdict === undefined) qualifiedNames.set(v, (verdict = judgeQualifiedName(v)));
  return verdict;
}

function judgeQualifiedName(v: string): string[] {
  const parts = v.split('/');
  if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  const name = parts[parts.length - 1];
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  // Kubernetes checks the format of an empty name part too (and reports both).
  if (!QUALIFIED_NAME.test(name)) errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')");
  return errs;
}

/** IsValidLabelValue. */
export function isValidLabelValue(v: string): string[] {
  return lengthAndFormat(v, 63, LABEL_VALUE, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')");
}

/** IsValidPortName: an IANA_SVC_NAME (RFC 6335), at most 15 characters, at least one letter; its checks in their order. */
export function isValidPortName(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(v)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(v)) errs.push('must contain at least one letter (a-z)');
  if (v.includes('--')) errs.push('must not contain consecutive hyphens');
  if (v.startsWith('-') || v.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** IsValidPortNum. */
export function isValidPortNum(v: unknown): string[] {
  // Number.isInteger is false for anything but a number.
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535 ? NONE : ['must be between 1 and 65535, inclusive'];
}

/** ValidatePortNumOrName: a number is a port, a string an IANA_SVC_NAME. */
export function portNumOrName(v: unknown): string[] {
  return typeof v === 'string' ? isValidPortName(v) : isValidPortNum(v);
}

function chDirPrefix(v: string): string[] {
  if (v === '.' || v === '..') return [`must not be '${v}'`];
  if (v.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** IsEnvVarName (1.27: letters, digits, `_`, `-`, `.`; not starting with a digit). */
export function isEnvVarName(v: string): string[] {
  const errs = ENV_VAR_NAME.test(v) ? [] : ["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name' or 'MY_ENV.NAME')"];
  return [...errs, ...chDirPrefix(v)];
}

/** IsConfigMapKey. */
export function isConfigMapKey(v: string): string[] {
  return [...lengthAndFormat(v, 253, CONFIG_MAP_KEY, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name' or 'KEY_NAME')"), ...chDirPrefix(v)];
}

/** path.IsValidPathSegmentName (RBAC object names). */
export function isValidPathSegmentName(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  const errs: string[] = [];
  for (const c of ['/', '%']) if (v.includes(c)) errs.push(`may not contain '${c}'`);
  return errs;
}

/** netutils.ParseIPSloppy(v) != nil: an IPv4 address (leading zeros allowed) or an IPv6 one. */
export function isIP(v: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  if (m) return m.slice(1).every((o) => Number(o) <= 255);
  return isIPv6(v);
}

/** A name-validation function of ValidateObjectMeta (NameIsDNSSubdomain, NameIsDNSLabel, …). */
export type NameFn = (name: string) => string[];

export const nameIsDNSSubdomain: NameFn = isDNS1123Subdomain;
export const nameIsDNSLabel: NameFn = isDNS1123Label;
export const nameIsDNS1035Label: NameFn = isDNS1035Label;

/** ValidateLabels: qualified-name keys, label values (Kubernetes reports a bad value at the map, not at its key). */
export function validateLabels(labels: unknown, path: string, errs: Errors): void {
  for (const [k, v] of sortedEntries(labels)) {
    errs.each(path, k, isQualifiedName(k));
    errs.each(path, v, isValidLabelValue(String(v)));
  }
}

/** TotalAnnotationSizeLimitB: the keys and values of an object's annotations, together. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** ValidateAnnotations: qualified-name keys (lowercased), at most 256 KiB in all. */
export function validateAnnotations(annotations: unknown, path: string, errs: Errors): void {
  let total = 0;
  for (const [k, v] of sortedEntries(annotations)) {
    errs.each(path, k, isQualifiedName(k.toLowerCase()));
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (total > ANNOTATIONS_MAX_BYTES) errs.tooLong(path, ANNOTATIONS_MAX_BYTES);
}

/** ValidateObjectMeta on create: name (by the kind's rule), namespace, labels, annotations. */
export function validateObjectMeta(meta: unknown, nameFn: NameFn, errs: Errors, path = 'metadata'): void {
  const m = obj(meta);
  if (typeof m.name !== 'string' || m.name.length === 0) errs.required(child(path, 'name'), 'name or generateName is required');
  else errs.each(child(path, 'name'), m.name, nameFn(m.name));
  if (typeof m.namespace === 'string' && m.namespace.length > 0) errs.each(child(path, 'namespace'), m.namespace, isDNS1123Label(m.namespace));
  validateLabels(m.labels, child(path, 'labels'), errs);
  validateAnnotations(m.annotations, child(path, 'annotations'), errs);
}

/**
 * ValidateLabelSelector (metav1) on create: matchLabels as labels; each requirement's operator,
 * values and key, and (since 1.26, unless an update keeps old invalid ones) its values as label
 * values.
 */
export function validateLabelSelector(selector: unknown, path: string, errs: Errors): void {
  const s = obj(selector);
  validateLabels(s.matchLabels, child(path, 'matchLabels'), errs);
  list(s.matchExpressions).forEach((item: unknown, i: number) => {
    const e = obj(item);
    const p = child(child(path, 'matchExpressions'), i);
    const values = list(e.values);
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0) errs.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) errs.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else errs.invalid(child(p, 'operator'), e.operator, 'not a valid selector operator');
    errs.each(child(p, 'key'), e.key, isQualifiedName(String(e.key ?? '')));
    values.forEach((v, j) => errs.each(child(child(p, 'values'), j), v, isValidLabelValue(String(v))));
  });
}

/** Whether a selector has no requirement (selects everything). */
export function selectorIsEmpty(selector: unknown): boolean {
  const s = obj(selector);
  return Object.keys(obj(s.matchLabels)).length === 0 && list(s.matchExpressions).length === 0;
}

/** metav1.LabelSelectorAsSelector(selector).Matches(labels); an unknown operator matches nothing. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  const s = obj(selector);
  const l = obj(labels);
  for (const [k, v] of Object.entries(obj(s.matchLabels))) if (l[k] !== v) return false;
  for (const item of list(s.matchExpressions)) {
    const e = obj(item);
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = list(e.values);
    const ok =
      e.operator === 'In' ? has && values.includes(l[e.key]) :
      e.operator === 'NotIn' ? !has || !values.includes(l[e.key]) :
      e.operator === 'Exists' ? has :
      e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}
