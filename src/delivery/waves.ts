/**
 * Argo CD sync waves: the order in which a sync applies a platform's objects, each wave healthy
 * before the next starts.
 *
 * | wave | what |
 * | --- | --- |
 * | 0 | Namespace, NetworkPolicies, ServiceAccounts, Roles, ConfigMaps, ExternalSecrets |
 * | 1 | databases and caches (StatefulSets and their Services) |
 * | 2 | the migration Job (a Sync hook: it must succeed before wave 3 starts) |
 * | 3 | workloads: Deployments and singletons' StatefulSets, their Services, autoscalers, budgets, ServiceMonitors, and the PVCs they mount |
 * | 4 | Ingresses, once their backends are healthy |
 * | 5 | CronJobs and the PVCs only they mount |
 *
 * A PVC on a `WaitForFirstConsumer` StorageClass stays Pending, which Argo CD counts as
 * unhealthy, until a pod mounts it: so a PVC syncs in the same wave as the pod that mounts it,
 * and PVCs only a CronJob mounts go last, where waiting for them blocks nothing.
 */

import { SINGLETON_ANNOTATION } from '../documents';

/** Annotation Argo CD orders a sync by. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

const FOUNDATION = new Set(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'ExternalSecret', 'SecretStore']);

/** Adds the sync-wave annotation to every document of one platform, except hooks (which carry their own). */
export function applySyncWaves(docs: ReadonlyArray<Record<string, any>>): void {
  // A singleton's StatefulSet is a workload (wave 3, after the migration), not a database.
  const singleton = (d: Record<string, any>) => d.kind === 'StatefulSet' && d.metadata?.annotations?.[SINGLETON_ANNOTATION] === 'true';
  const workload = (d: Record<string, any>) => d.kind === 'Deployment' || singleton(d);
  const statefulServices = new Set(docs.filter((d) => d.kind === 'StatefulSet' && !singleton(d)).map((d) => d.spec?.serviceName));
  // Claims a workload's pods mount; every other PVC (mounted by a CronJob only, or by nothing) goes last.
  const workloadClaims = new Set<string>();
  for (const d of docs.filter(workload)) {
    for (const v of d.spec?.template?.spec?.volumes ?? []) if (v.persistentVolumeClaim) workloadClaims.add(v.persistentVolumeClaim.claimName);
  }
  for (const d of docs) {
    if (d.metadata?.annotations?.['argocd.argoproj.io/hook']) continue;
    let wave: number;
    if (FOUNDATION.has(d.kind)) wave = 0;
    else if ((d.kind === 'StatefulSet' && !singleton(d)) || (d.kind === 'Service' && statefulServices.has(d.metadata?.name))) wave = 1;
    else if (d.kind === 'Ingress') wave = 4;
    else if (d.kind === 'CronJob' || (d.kind === 'PersistentVolumeClaim' && !workloadClaims.has(d.metadata?.name))) wave = 5;
    else wave = 3;
    const metadata: Record<string, unknown> = { ...d.metadata, annotations: sorted({ ...d.metadata?.annotations, [SYNC_WAVE]: String(wave) }) };
    d.metadata = sorted(metadata); // keep cdk8s' sorted keys, so the annotation lands where a reviewer expects it
  }
}

function sorted<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out as T;
}
