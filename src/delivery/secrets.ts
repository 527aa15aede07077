import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret';
import { LABELS, MANAGED_BY } from '../platform-chart';
import { podSpecOf } from '../documents';
import { ExternalSecretsSettings } from '../delivery-settings';

/** Every Secret the pods of one platform read, with its keys and readers. */
export interface SecretUse {
  readonly name: string;
  readonly keys: readonly string[];
  /** `Kind/name` of each object whose pods read it. */
  readonly readers: readonly string[];
}

/** Collects the Secret references of a platform's rendered documents, sorted by name and key. */
export function secretUses(docs: ReadonlyArray<Record<string, any>>): SecretUse[] {
  const byName = new Map<string, { keys: Set<string>; readers: Set<string> }>();
  const use = (name: string, key: string, d: Record<string, any>) => {
    const entry = byName.get(name) ?? { keys: new Set<string>(), readers: new Set<string>() };
    entry.keys.add(key);
    entry.readers.add(`${d.kind}/${d.metadata?.name}`);
    byName.set(name, entry);
  };
  for (const d of docs) {
    const spec = podSpecOf(d);
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) use(ref.name, ref.key, d);
      }
    }
    // Keys mounted as files (a Secret volume lists the keys it projects).
    for (const v of spec?.volumes ?? []) for (const item of v.secret?.items ?? []) use(v.secret.secretName, item.key, d);
  }
  return [...byName.keys()].sort().map((name) => ({ name, keys: [...byName.get(name)!.keys].sort(), readers: [...byName.get(name)!.readers].sort() }));
}

/**
 * One ExternalSecret per Secret a platform reads, so External Secrets Operator creates the
 * Secrets from the env's store before anything reads them (sync wave 0). The Secret is kept if
 * the ExternalSecret is ever deleted (`deletionPolicy: Retain`): pods that read it keep running.
 */
export function externalSecrets(uses: readonly SecretUse[], s: ExternalSecretsSettings, platform: string, namespace: string): IExternalSecret[] {
  return uses.map((u) => sortedKeys({
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    metadata: {
      name: u.name,
      namespace,
      labels: { [LABELS.name]: u.name, [LABELS.partOf]: platform, [LABELS.component]: 'secret', [LABELS.managedBy]: MANAGED_BY },
    },
    spec: {
      refreshInterval: s.refreshInterval ?? '1h',
      secretStoreRef: { kind: s.store.kind, name: s.store.name },
      target: { name: u.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: u.keys.map((key) => ({ secretKey: key, remoteRef: { key: `${s.path}/${platform}/${u.name}`, property: key } })),
    },
  }));
}

/** A copy with every object's keys in sorted order, as cdk8s renders its own objects. */
function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as Record<string, unknown>)[k]);
  return out as T;
}

/** The Markdown list of every Secret and key each platform of an env reads. */
export function secretsPage(env: string, platforms: ReadonlyArray<{ name: string; uses: readonly SecretUse[] }>, s?: ExternalSecretsSettings): string {
  const lines = [
    `# Secrets of ${env}`,
    '',
    'Rendered by trading-platform-manifests from the charts; do not edit.',
    '',
    s
      ? `External Secrets Operator creates these Secrets from the ${s.store.kind} \`${s.store.name}\`, remote key \`${s.path}/<platform>/<Secret>\`, one property per key. They must exist in the store before the first sync.`
      : 'Create these Secrets in each namespace before the first sync (by hand, from a pipeline, or with Sealed Secrets); nothing in git holds their values.',
    '',
    '| platform | namespace | Secret | keys | read by |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const p of platforms) {
    for (const u of p.uses) lines.push(`| ${p.name} | \`${p.name}-${env}\` | \`${u.name}\` | ${u.keys.map((k) => `\`${k}\``).join(', ')} | ${u.readers.join(', ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
