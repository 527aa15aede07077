/**
 * Data outlives every sync: what Argo CD may prune or delete, and what it must leave.
 *
 * Argo CD prunes an object that left git (automated `prune`, or a person's sync with prune) and
 * deletes every object it tracks when its Application is deleted with cascade (the
 * `resources-finalizer.argocd.argoproj.io` finalizer, `argocd app delete`). A deleted Namespace
 * takes its PersistentVolumeClaims, and the Secrets created there by hand, with it. So:
 *
 * - every PersistentVolumeClaim and every Namespace carries
 *   `argocd.argoproj.io/sync-options: Prune=false,Delete=false` ("No Prune Resources" and "No
 *   Resource Deletion" in Argo CD's sync options): removed from git, it shows as OutOfSync and
 *   stays; its Application deleted, it stays;
 * - every StatefulSet keeps the claims of its templates when it is deleted or scaled down
 *   (`persistentVolumeClaimRetentionPolicy` Retain/Retain; beta and on by default since
 *   Kubernetes 1.27, and Retain is also what a cluster without the feature does). The claims a
 *   StatefulSet creates carry no Argo CD tracking label or annotation, so Argo CD never prunes
 *   them; their templates are left without the annotation on purpose, since `volumeClaimTemplates`
 *   cannot change on an existing StatefulSet and adding it would fail every sync.
 *
 * Deleting data is then always a person's command (`kubectl delete namespace ...`), never a
 * side effect of a commit.
 */

/** Annotation holding an object's own Argo CD sync options. */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** The options that keep an object through prune and Application deletion. */
export const KEEP = ['Prune=false', 'Delete=false'] as const;

/** Kinds that hold data, or hold what holds it. */
const KEPT_KINDS = new Set(['PersistentVolumeClaim', 'Namespace']);

/** Labels and annotations Argo CD tracks objects by (label and annotation tracking). */
export const TRACKING_KEYS = ['app.kubernetes.io/instance', 'argocd.argoproj.io/instance', 'argocd.argoproj.io/tracking-id'] as const;

/**
 * Marks every PVC and Namespace of one platform `Prune=false,Delete=false` (keeping any other
 * sync option the object has) and makes every StatefulSet keep its claims.
 */
export function protectData(docs: ReadonlyArray<Record<string, any>>): void {
  for (const d of docs) {
    if (KEPT_KINDS.has(d.kind)) {
      const options = String(d.metadata?.annotations?.[SYNC_OPTIONS] ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== '' && !/^(Prune|Delete)=/.test(o));
      d.metadata = sorted({ ...d.metadata, annotations: sorted({ ...d.metadata?.annotations, [SYNC_OPTIONS]: [...options, ...KEEP].join(',') }) });
    } else if (d.kind === 'StatefulSet' && d.spec) {
      d.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Retain' };
    }
  }
}

/** One piece of data a platform holds: a PVC, or the claims of a StatefulSet's template. */
export interface DataObject {
  readonly kind: 'PersistentVolumeClaim' | 'StatefulSet claim';
  /** The PVC's name, or `<template>-<statefulset>-<ordinal>` for each claim a StatefulSet makes. */
  readonly name: string;
}

/** The data a platform's documents hold: its PVCs and the claims its StatefulSets create. */
export function dataObjects(docs: ReadonlyArray<Record<string, any>>): DataObject[] {
  const out: DataObject[] = [];
  for (const d of docs) {
    if (d.kind === 'PersistentVolumeClaim') out.push({ kind: 'PersistentVolumeClaim', name: d.metadata?.name });
    if (d.kind === 'StatefulSet') {
      for (const t of d.spec?.volumeClaimTemplates ?? []) {
        for (let i = 0; i < (d.spec?.replicas ?? 1); i++) out.push({ kind: 'StatefulSet claim', name: `${t.metadata?.name}-${d.metadata?.name}-${i}` });
      }
    }
  }
  return out;
}

/**
 * What to tell the person who removed a platform from an env: which data stayed, and the
 * commands that delete it on purpose.
 */
export function keptDataNote(env: string, platform: string, namespace: string, claims: readonly string[]): string {
  const held = claims.length > 0 ? `its volumes (${claims.join(', ')}) and ` : '';
  return (
    `${env}/${platform} is no longer rendered: Argo CD removes its Application and workloads, and keeps ` +
    `${held}the Namespace ${namespace} (Prune=false,Delete=false). To delete the data on purpose, take a backup, then run ` +
    `kubectl delete namespace ${namespace}`
  );
}

function sorted<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out as T;
}
