/**
 * The page of one platform in one env, `dist/<env>/<platform>/README.md`: a Mermaid diagram of
 * what talks to what (Ingress paths → services → workloads → databases and caches, jobs with
 * their schedules, traffic that leaves the platform), the Secrets each workload reads, and the
 * capacity table. Generated from the same rendered documents as the manifests, so it never
 * drifts from them; kustomize and Argo CD read only the files `kustomization.yaml` lists.
 */
import { Budget, Capacity, capacityTable } from '../capacity/capacity';
import { formatBytes, quantityValue } from '../quantity';
import { SecretUse } from '../delivery/secrets';
import { podSpecOf, SINGLETON_ANNOTATION } from '../documents';

const NAME = 'app.kubernetes.io/name';

const id = (kind: string, name: string) => `${kind}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');
const text = (s: string) => s.replace(/"/g, '#quot;');
const byName = (a: Record<string, any>, b: Record<string, any>) => (a.metadata.name < b.metadata.name ? -1 : 1);

/** The Mermaid flowchart of one platform. */
export function topologyDiagram(docs: ReadonlyArray<Record<string, any>>, timeZone: string): string {
  const of = (kind: string) => docs.filter((d) => d.kind === kind).sort(byName);
  const hpa = new Map(of('HorizontalPodAutoscaler').map((h) => [h.spec?.scaleTargetRef?.name, h.spec]));
  const services = new Map(of('Service').map((s) => [s.metadata.name, s]));
  const nodeOf = new Map<string, string>(); // app.kubernetes.io/name → node id
  const lines = ['flowchart LR', '  users(("users"))'];

  const isSingleton = (d: Record<string, any>) => d.metadata.annotations?.[SINGLETON_ANNOTATION] === 'true';
  // Singletons' StatefulSets are workloads, drawn with the Deployments.
  for (const d of [...of('Deployment'), ...of('StatefulSet').filter(isSingleton)].sort(byName)) {
    const name = d.metadata.name;
    const scale = hpa.get(name);
    const replicas = isSingleton(d) ? 'singleton' : scale ? `${scale.minReplicas}–${scale.maxReplicas} pods (HPA)` : `${d.spec?.replicas ?? 1} pods`;
    const ports = (services.get(name)?.spec?.ports ?? []).map((p: any) => `:${p.port}`).join(' ');
    const node = id('deploy', name);
    nodeOf.set(d.spec?.template?.metadata?.labels?.[NAME] ?? d.metadata.name, node);
    lines.push(`  ${node}["${text(`${name} ${ports}`.trim())}<br/>${text(replicas)}"]`);
  }
  for (const d of of('StatefulSet').filter((x) => !isSingleton(x))) {
    const name = d.metadata.name;
    const size = (d.spec?.volumeClaimTemplates ?? []).map((t: any) => formatBytes(quantityValue(t.spec?.resources?.requests?.storage))).join(' + ');
    const port = (services.get(name)?.spec?.ports ?? []).map((p: any) => `:${p.port}`).join(' ');
    const node = id('sts', name);
    nodeOf.set(d.spec?.template?.metadata?.labels?.[NAME] ?? d.metadata.name, node);
    lines.push(`  ${node}[("${text(`${name} ${port}`.trim())}<br/>${size ? `${size} volume` : 'in memory'}")]`);
  }
  for (const d of of('Job')) {
    const node = id('job', d.metadata.labels?.[NAME] ?? d.metadata.name); // stable across releases (the Job's name carries a hash)
    nodeOf.set(d.spec?.template?.metadata?.labels?.[NAME] ?? d.metadata.name, node);
    const hook = d.metadata.annotations?.['argocd.argoproj.io/hook'];
    lines.push(`  ${node}[/"${text(d.metadata.labels?.[NAME] ?? d.metadata.name)}<br/>Job${hook ? `, ${hook} hook` : ''}"/]`);
  }
  for (const d of of('CronJob')) {
    const node = id('cron', d.metadata.name);
    nodeOf.set(d.spec?.jobTemplate?.spec?.template?.metadata?.labels?.[NAME] ?? d.metadata.name, node);
    lines.push(`  ${node}[/"${text(d.metadata.name)}<br/>${text(String(d.spec?.schedule))} ${text(d.spec?.timeZone ?? timeZone)}"/]`);
  }

  for (const ing of of('Ingress')) {
    const node = id('ing', ing.metadata.name);
    const host = ing.spec?.rules?.[0]?.host ?? '';
    lines.push(`  ${node}{{"${text(`${host}`)}<br/>Ingress ${text(ing.metadata.name)}"}}`, `  users --> ${node}`);
    for (const p of ing.spec?.rules?.[0]?.http?.paths ?? []) {
      const svc = services.get(p.backend?.service?.name);
      const target = nodeOf.get(svc?.spec?.selector?.[NAME] ?? p.backend?.service?.name);
      if (target) lines.push(`  ${node} -- "${text(p.path)}" --> ${target}`);
    }
  }

  for (const pol of of('NetworkPolicy')) {
    const from = nodeOf.get(pol.spec?.podSelector?.matchLabels?.[NAME]);
    if (!from) continue;
    for (const rule of pol.spec.egress ?? []) {
      const ports = (rule.ports ?? []).map((p: any) => p.port).join(',');
      for (const to of rule.to ?? []) {
        if (to.podSelector && !to.namespaceSelector) {
          const target = nodeOf.get(to.podSelector.matchLabels?.[NAME]);
          if (target) lines.push(`  ${from} -- "${ports}" --> ${target}`);
        } else if (to.namespaceSelector) {
          // A selector without a namespace's name (`{}`, or by other labels) reaches other namespaces.
          const ns: string | undefined = to.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
          const node = ns === undefined ? 'namespaces' : id('ns', ns);
          lines.push(`  ${node}[["${ns === undefined ? 'other namespaces' : `namespace ${text(ns)}`}"]]`, `  ${from} -- "${ports}" --> ${node}`);
        } else if (to.ipBlock) {
          const internet = to.ipBlock.cidr === '0.0.0.0/0';
          const node = internet ? 'internet' : id('cidr', to.ipBlock.cidr);
          lines.push(`  ${node}(["${text(internet ? 'internet' : to.ipBlock.cidr)}"])`, `  ${from} -- "${ports}" --> ${node}`);
        }
      }
    }
  }
  return `${[...new Set(lines)].join('\n')}\n`;
}

/** The whole page of one platform in one env. */
export function platformPage(opts: {
  readonly env: string;
  readonly platform: string;
  readonly description?: string;
  readonly docs: ReadonlyArray<Record<string, any>>;
  readonly secrets: readonly SecretUse[];
  readonly capacity: Capacity;
  readonly budget?: Budget;
  readonly timeZone: string;
}): string {
  const { env, platform, docs } = opts;
  const egress = docs
    .filter((d) => d.kind === 'NetworkPolicy' && d.metadata.annotations?.['trading-platform-manifests/external-egress'])
    .sort(byName)
    .map((d) => `| ${d.metadata.name} | ${d.metadata.annotations['trading-platform-manifests/external-egress']} |`);
  const readers = new Map<string, string[]>();
  for (const s of opts.secrets) for (const r of s.readers) readers.set(r, [...(readers.get(r) ?? []), `\`${s.name}\`: ${s.keys.map((k) => `\`${k}\``).join(', ')}`]);
  const pods = docs.filter((d) => podSpecOf(d));
  return [
    `# ${platform} in ${env}`,
    '',
    'Rendered by trading-platform-manifests from the charts and the overlay; do not edit.',
    ...(opts.description ? ['', opts.description] : []),
    '',
    '```mermaid',
    topologyDiagram(docs, opts.timeZone).trimEnd(),
    '```',
    '',
    '## Traffic leaving the platform',
    '',
    ...(egress.length > 0 ? ['| workload | to |', '| --- | --- |', ...egress] : ['None: no pod reaches anything outside the platform but DNS.']),
    '',
    '## Secrets read (names and keys only)',
    '',
    ...(readers.size > 0 ? ['| object | Secrets and keys |', '| --- | --- |', ...[...readers.keys()].sort().map((r) => `| ${r} | ${readers.get(r)!.join('; ')} |`)] : ['None.']),
    '',
    `## Capacity (${pods.length} workloads)`,
    '',
    'Worst case: every autoscaler at its maximum, one extra pod per rolling update, every Job and CronJob running.',
    '',
    capacityTable(opts.capacity, opts.budget),
    '',
  ].join('\n');
}
