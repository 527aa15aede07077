/**
 * Field errors in the shape of Kubernetes' `field.ErrorList`
 * (k8s.io/apimachinery/pkg/util/validation/field): each names the field path, the kind of
 * error and the value, and says what the API server says, in lowercase.
 */
import { show } from '../checks';

/** One field error, as the API server would report it. */
export interface FieldError {
  /** Path of the field, e.g. `spec.ports[1]` or `metadata.labels[app]`. */
  readonly field: string;
  /** `invalid value "2"`, `duplicate value …`, `required value`, … */
  readonly type: string;
  /** What the API server says (lowercase, no trailing period); may be empty. */
  readonly detail: string;
}

/** `field: type: detail` as one line. */
export function formatError(e: FieldError): string {
  return e.detail ? `${e.field}: ${e.type}: ${e.detail}` : `${e.field}: ${e.type}`;
}

/** Collects field errors; the methods mirror `field.Invalid`, `field.Required`, … */
export class Errors {
  public readonly list: FieldError[] = [];

  public invalid(field: string, value: unknown, detail: string): void {
    this.list.push({ field, type: `invalid value ${show(value)}`, detail });
  }

  public required(field: string, detail = ''): void {
    this.list.push({ field, type: 'required value', detail });
  }

  public duplicate(field: string, value: unknown): void {
    this.list.push({ field, type: `duplicate value ${show(value)}`, detail: '' });
  }

  public notFound(field: string, value: unknown, detail = ''): void {
    this.list.push({ field, type: `not found ${show(value)}`, detail });
  }

  public notSupported(field: string, value: unknown, allowed: readonly string[]): void {
    this.list.push({ field, type: `unsupported value ${show(value)}`, detail: `supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` });
  }

  public forbidden(field: string, detail: string): void {
    this.list.push({ field, type: 'forbidden', detail });
  }

  public tooLong(field: string, max: number, unit = 'bytes'): void {
    this.list.push({ field, type: 'too long', detail: `must have at most ${max} ${unit}` });
  }

  /** Adds `field: invalid value` for each message of a `validation.IsXxx`-style check. */
  public each(field: string, value: unknown, messages: readonly string[]): void {
    for (const m of messages) this.invalid(field, value, m);
  }
}

/** `a.b` + `c` → `a.b.c`; `a` + `[0]` → `a[0]`. */
export function child(path: string, name: string | number): string {
  if (typeof name === 'number') return `${path}[${name}]`;
  return path ? `${path}.${name}` : name;
}

/** `metadata.labels` + `app` → `metadata.labels[app]` (a map key, as Kubernetes writes it). */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

/** A list when `v` is one, else `[]` (a wrong type is the schema check's to report). */
export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** An object when `v` is a plain one, else `{}`. */
export function obj(v: unknown): Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {};
}

/** Entries of a map in code-point order of their keys: errors come out in a stable order. */
export function sortedEntries(v: unknown): Array<[string, any]> {
  const entries = Object.entries(obj(v));
  for (let i = 1; i < entries.length; i++) {
    // Rendered documents have their keys sorted already: sort only when they are not. The keys of
    // a map are distinct, so no two compare equal.
    if (entries[i - 1][0] > entries[i][0]) return entries.sort(([x], [y]) => (x < y ? -1 : 1));
  }
  return entries;
}
