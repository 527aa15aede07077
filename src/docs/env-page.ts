/**
 * The overview pages: `dist/<env>/README.md` lists the platforms of one env with a line each;
 * `dist/README.md` shows what differs between the envs (hosts, pods, volume sizes, images).
 */
import { formatBytes, quantityValue } from '../quantity';
import { podSpecOf, SINGLETON_ANNOTATION } from '../documents';

/** The rendered documents of one platform in one env. */
export interface PlatformDocs {
  readonly env: string;
  readonly platform: string;
  readonly docs: ReadonlyArray<Record<string, any>>;
}

/** Facts a reviewer compares across envs, by `platform · subject`. */
function facts(p: PlatformDocs): Map<string, string> {
  const out = new Map<string, string>();
  // Every host of every Ingress, once each: a platform with two Ingresses on two hosts shows both.
  const hosts = [...new Set(p.docs.filter((d) => d.kind === 'Ingress').flatMap((d) => (d.spec?.rules ?? []).map((r: any) => r.host)))];
  if (hosts.length > 0) out.set(`${p.platform} · host`, hosts.join(', '));
  const hpa = new Map(p.docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => [d.spec?.scaleTargetRef?.name, d.spec]));
  for (const d of p.docs) {
    const name = d.metadata?.name;
    if (d.kind === 'Deployment' || (d.kind === 'StatefulSet' && d.metadata?.annotations?.[SINGLETON_ANNOTATION] === 'true')) {
      const h = hpa.get(name);
      out.set(`${p.platform} · ${name} pods`, d.metadata?.annotations?.[SINGLETON_ANNOTATION] === 'true' ? '1 (singleton)' : h ? `${h.minReplicas}–${h.maxReplicas}` : String(d.spec?.replicas ?? 1));
    }
    if (d.kind === 'StatefulSet') {
      for (const t of d.spec?.volumeClaimTemplates ?? []) out.set(`${p.platform} · ${name} volume`, formatBytes(quantityValue(t.spec?.resources?.requests?.storage)));
    }
    if (d.kind === 'PersistentVolumeClaim') out.set(`${p.platform} · ${name} volume`, formatBytes(quantityValue(d.spec?.resources?.requests?.storage)));
    const spec = d.kind === 'Job' ? undefined : podSpecOf(d);
    for (const c of spec?.containers ?? []) out.set(`${p.platform} · ${name} image`, String(c.image).replace(/^.*\//, ''));
  }
  return out;
}

/** The README of one env: its platforms, a line each. */
export function envPage(env: string, all: readonly PlatformDocs[]): string {
  const rows = all
    .filter((p) => p.env === env)
    .map((p) => {
      const ns = p.docs.find((d) => d.kind === 'Namespace');
      const hosts = [...new Set(p.docs.filter((d) => d.kind === 'Ingress').flatMap((d) => (d.spec?.rules ?? []).map((r: any) => r.host)))].join(', ');
      const workloads = p.docs.filter((d) => ['Deployment', 'StatefulSet', 'CronJob'].includes(d.kind)).length;
      return `| [${p.platform}](./${p.platform}/README.md) | \`${ns?.metadata?.name ?? ''}\` | ${ns?.metadata?.annotations?.['trading-platform-manifests/description'] ?? ''} | ${hosts} | ${workloads} | ${p.docs.length} |`;
    });
  return [
    `# ${env}`,
    '',
    'Rendered by trading-platform-manifests; do not edit. Each platform folder is a kustomization (`kubectl apply -k`) and an Argo CD Application.',
    '',
    '| platform | namespace | what | hosts | workloads | objects |',
    '| --- | --- | --- | --- | ---: | ---: |',
    ...rows,
    '',
    'Secrets each platform reads: [SECRETS.md](./SECRETS.md). How the envs differ: [../README.md](../README.md).',
    '',
  ].join('\n');
}

/** `dist/README.md`: the envs, and what differs between them (hosts, pods, volumes, images), side by side. */
export function comparePage(all: readonly PlatformDocs[], envs: readonly string[]): string {
  const byEnv = new Map(envs.map((e) => [e, new Map(all.filter((p) => p.env === e).flatMap((p) => [...facts(p)]))]));
  const subjects = [...new Set([...byEnv.values()].flatMap((m) => [...m.keys()]))].sort();
  const differing = subjects.filter((s) => new Set(envs.map((e) => byEnv.get(e)!.get(s) ?? '')).size > 1);
  return [
    '# Rendered manifests',
    '',
    'Rendered by trading-platform-manifests (`npx cdk8s synth`); do not edit. One folder per env:',
    '',
    ...envs.map((e) => `- [${e}](./${e}/README.md)`),
    '',
    `## How the envs differ`,
    '',
    ...(differing.length > 0
      ? [`| | ${envs.join(' | ')} |`, `| --- |${envs.map(() => ' --- |').join('')}`, ...differing.map((s) => `| ${s} | ${envs.map((e) => byEnv.get(e)!.get(s) ?? '—').join(' | ')} |`)]
      : ['Nothing: the envs are alike.']),
    '',
  ].join('\n');
}
