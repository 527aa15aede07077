import { createHash } from 'node:crypto';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { dnsLabel, dnsSubdomain, show } from './checks';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';
import { scanValue } from './credentials/scan';

/**
 * One key of an existing Secret. Only its name and key pass through code: values live in the
 * cluster (created by hand, by a pipeline or by External Secrets), never in git.
 */
export class SecretKey {
  public constructor(
    /** Name of the Secret in the platform's namespace. */
    public readonly secretName: string,
    /** Key inside the Secret. */
    public readonly key: string,
  ) {}
}

/** An existing Secret, referenced by name. */
export class SecretRef {
  /** References the Secret called `name` in the platform's namespace. */
  public static fromSecretName(name: string): SecretRef {
    return new SecretRef(name);
  }

  private constructor(
    /** Name of the Secret. */
    public readonly name: string,
  ) {}

  /** One key of this Secret. */
  public key(key: string): SecretKey {
    return new SecretKey(this.name, key);
  }
}

/** Shorthand for `SecretRef.fromSecretName(secretName).key(key)`. */
export function secretKey(secretName: string, key: string): SecretKey {
  return new SecretKey(secretName, key);
}

/** Value of one environment variable: a literal (never a secret) or a key of an existing Secret. */
export type EnvValue = string | SecretKey;

/** Environment variables of a container, by name. Rendered in name order. */
export type EnvVars = Readonly<Record<string, EnvValue>>;

/**
 * Says why a literal `value` under `name` is a credential (the credential scanner's first
 * finding, the value masked), or `undefined`.
 */
export function literalSecretProblem(name: string, value: string): string | undefined {
  const f = scanValue(name, value)[0];
  return f ? `holds ${f.what}: ${f.shown} [${f.rule}]; keep it in a Secret and reference it with secretKey(name, key)` : undefined;
}

/** Checks a map of environment variables; returns `[field, message]` per bad entry, field `env.<NAME>`. */
export function envProblems(env: EnvVars | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (env !== undefined && (env === null || typeof env !== 'object' || Array.isArray(env))) return [['env', `expected an object of names to values, got ${show(env)}`]];
  for (const [name, value] of Object.entries(env ?? {})) {
    const field = `env.${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) out.push([field, `"${name}" is not an environment variable name`]);
    if (typeof value === 'string') {
      const p = literalSecretProblem(name, value);
      if (p) out.push([field, p]);
      // Env vars render sorted by name, and Kubernetes expands $(X) only from vars listed before.
      for (const [, ref] of value.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
        if (Object.hasOwn(env!, ref) && ref >= name) out.push([field, `refers to $(${ref}), which renders after it (env vars are sorted by name); rename one of them or inline the value`]);
      }
    } else if (value instanceof SecretKey) {
      const n = dnsSubdomain(value.secretName);
      if (n) out.push([field, `secret name ${n}`]);
      if (typeof value.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(value.key)) out.push([field, `secret key ${show(value.key)} is not a valid key`]);
    } else {
      out.push([field, `is ${show(value)}; use a string or secretKey(name, key)`]);
    }
  }
  return out;
}

/** Renders environment variables in name order, so output does not depend on object key order. */
export function renderEnv(env: EnvVars | undefined): k8s.EnvVar[] {
  return Object.keys(env ?? {})
    .sort()
    .map((name) => {
      const value = env![name];
      if (typeof value === 'string') return { name, value };
      return { name, valueFrom: { secretKeyRef: { name: value.secretName, key: value.key } } };
    });
}

/** Props of {@link AppConfig}. */
export interface AppConfigProps {
  /** Non-secret settings and feature flags. A value that looks like a credential is an error. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * A ConfigMap of non-secret settings whose name ends in a hash of its content
 * (`<id>-<hash>`), and which is immutable. Workloads read it with `envFrom`; a change of
 * content changes the name, which changes the pod template and rolls the pods that use it.
 * The previous ConfigMap stays until pruned, so a rollback finds its config intact.
 */
export class AppConfig extends Construct {
  /** Rendered name, `<id>-<hash>`. */
  public readonly name: string;
  /** The settings, as given. */
  public readonly data: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: AppConfigProps) {
    super(scope, id);
    this.data = props?.data !== null && typeof props?.data === 'object' && !Array.isArray(props.data) ? props.data : {};
    this.name = `${id}-${contentHash(this.data)}`;
    const problems = new Problems();
    // `<id>-<10 hex>` must stay a valid label value (63), since the id is the name label.
    problems.check('id', dnsLabel(id, 52));
    if (props?.data === null || typeof props?.data !== 'object' || Array.isArray(props.data)) problems.check('data', `expected an object of keys to strings, got ${show(props?.data)}`);
    for (const [key, value] of Object.entries(this.data)) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) problems.check(`data.${key}`, `"${key}" is not a valid ConfigMap key`);
      else if (typeof value !== 'string') problems.check(`data.${key}`, `${show(value)} is not a string; quote numbers and booleans`);
      else problems.check(`data.${key}`, literalSecretProblem(key, value));
    }
    if (problems.report(this)) return;
    const chart = PlatformChart.of(this);
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: chart.metadata(this.name, { component: 'config', app: id }),
      immutable: true,
      // cdk8s renders the keys of every object in sorted order.
      data: this.data,
    });
  }
}

/** First 10 hex characters of the SHA-256 of a value's canonical JSON. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 10);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
