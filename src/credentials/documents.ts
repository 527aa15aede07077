/**
 * Credential checks over what synth renders and what it reads: every string of every final
 * document (after JSON patches and escape hatches: env, args, command, probes, ConfigMap data,
 * annotations, labels) and every string of an env's overlay and release. Findings are errors:
 * a credential is never waived into git.
 */
import { containersOf, podSpecOf } from '../documents';
import { Field, FieldFinding, scanFields } from './scan';

/** A rendered object with where it came from (the policy's view of it). */
export interface ScannedObject {
  readonly env: string;
  readonly constructPath: string;
  readonly doc: Record<string, any>;
}

const FIX = 'keep it in a Secret and reference it with secretKey(name, key)';
const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/;
const FLAG_VALUE = /^--?([A-Za-z][A-Za-z0-9_.-]*)=([\s\S]*)/;
// NAME=value in a shell script or an `env` argument: `export TOKEN=abc`, `PGPASSWORD=x pg_dump`,
// `env DB_PASSWORD=x app`; the value is quoted ("…", '…') or runs to a space or an operator.
const ASSIGNMENT = /(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|'([^']*)'|([^\s;&|)]+))/g;

/** The string fields of one document: every string leaf, with the name it is stored under. */
export function documentFields(doc: Record<string, any>): Field[] {
  const out: Field[] = [];
  const walk = (value: unknown, path: string, name?: string) => {
    if (typeof value === 'string') {
      out.push({ path, value, name });
      return;
    }
    if (Array.isArray(value)) {
      // A list of strings: a command line (`command`, `args`) or like one (`literals: [NAME=value]`).
      if (value.every((v) => typeof v === 'string')) return commandFields(value, path, out);
      value.forEach((v, i) => walk(v, `${path}[${typeof v?.name === 'string' ? v.name : i}]`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    // {name, value}: an env var, a header, a sysctl. ConfigMap and Secret data: key → value.
    const pairName = typeof o.name === 'string' ? o.name : undefined;
    const keyed = path === 'data' || path === 'stringData' || path === 'binaryData';
    for (const k of Object.keys(o)) walk(o[k], path ? `${path}.${k}` : k, keyed ? k : k === 'value' ? pairName : undefined);
  };
  walk(doc, '');
  return out;
}

/** An argument's value, under the flag's name when it is a flag's value (`--flag=value`, `--flag value`). */
function argument(arg: string, previous = ''): { value: string; name?: string } {
  const inline = FLAG_VALUE.exec(arg);
  if (inline) return { value: inline[2], name: inline[1] };
  return { value: arg, name: arg.startsWith('-') ? undefined : FLAG.exec(previous)?.[1] };
}

/** A command line's fields: each argument, a flag's value under the flag's name, a script's assignments and flags. */
function commandFields(args: readonly string[], path: string, out: Field[]): void {
  args.forEach((a, i) => {
    const here = `${path}[${i}]`;
    out.push({ path: here, ...argument(a, args[i - 1]) });
    for (const m of a.matchAll(ASSIGNMENT)) out.push({ path: `${here} (${m[1]}=)`, value: m[2] ?? m[3] ?? m[4], name: m[1] });
    // A script (`sh -c 'app --password x'`): each flag's value in it, under the flag's name.
    if (a.startsWith('-')) return;
    const words = a.split(/\s+/).map((w) => w.replace(/["']/g, ''));
    words.forEach((w, j) => {
      const f = argument(w, words[j - 1]);
      if (f.name !== undefined) out.push({ path: `${here} (${f.name})`, ...f });
    });
  });
}

/** Secret-backed env vars that Kubernetes would expand into a command line (`$(VAR)` in command or args). */
export function secretsInArguments(doc: Record<string, any>): Array<{ path: string; variable: string }> {
  const spec = podSpecOf(doc);
  if (!spec) return [];
  const out: Array<{ path: string; variable: string }> = [];
  for (const { c, init } of containersOf(spec)) {
    const secret = new Set((c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.name));
    for (const key of ['command', 'args'] as const) {
      (c[key] ?? []).forEach((a: unknown, i: number) => {
        if (typeof a !== 'string') return;
        // $$ escapes Kubernetes' expansion.
        for (const m of a.replaceAll('$$', '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (secret.has(m[1])) out.push({ path: `${init ? 'initContainers' : 'containers'}[${c.name}].${key}[${i}]`, variable: m[1] });
        }
      });
    }
  }
  return out;
}

function line(where: string, f: FieldFinding): string {
  return `${where}${f.path} holds ${f.what}: ${f.shown} [${f.rule}]; ${FIX}`;
}

/** One problem line per credential in the rendered objects of one platform in one env. */
export function documentCredentialProblems(objects: readonly ScannedObject[]): string[] {
  const out: string[] = [];
  const where = (o: ScannedObject) => `${o.env}/${o.constructPath}: ${o.doc.kind}/${o.doc.metadata?.name}: `;
  // One scan over every object's fields, each path prefixed with its object's index.
  const fields = objects.flatMap((o, i) => documentFields(o.doc).map((f) => ({ ...f, path: `${i}\0${f.path}` })));
  for (const f of scanFields(fields)) {
    const [i, path] = f.path.split('\0');
    out.push(line(where(objects[Number(i)]), { ...f, path }));
  }
  for (const o of objects) {
    for (const s of secretsInArguments(o.doc)) {
      out.push(`${where(o)}${s.path} puts the Secret-backed $(${s.variable}) on a command line, which /proc/<pid>/cmdline shows to anyone on the node [secret-in-args]; let the program read it from its env or a file`);
    }
  }
  return out;
}

/** Every string of an input (an overlay, a release), each under its key. */
export function inputFields(value: unknown, skip?: (v: object) => boolean): Field[] {
  const out: Field[] = [];
  const walk = (v: unknown, path: string, name?: string) => {
    if (typeof v === 'string') out.push({ path, value: v, name });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, name));
    else if (v !== null && typeof v === 'object' && !skip?.(v)) for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, k);
  };
  walk(value, '');
  return out;
}

/** One problem line per credential in an env's overlay (settings, release images), `<env>: overlay <path> …`. */
export function inputCredentialProblems(env: string, overlay: unknown, skip?: (v: object) => boolean): string[] {
  return scanFields(inputFields(overlay, skip)).map((f) => line(`${env}: overlay `, f));
}
