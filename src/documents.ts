/**
 * Reading rendered documents: where a workload keeps its pod template, its labels and its
 * containers, and which pods a label selector picks. The lowest room of the library: it imports
 * nothing, so the policy rules, capacity, delivery, the pages, the constructs and the testing
 * helpers all read documents the same way.
 */

/** A rendered Kubernetes document, as plain JSON. */
export type Doc = Record<string, any>;

/** Annotation that marks a Deployment as a singleton (exactly one pod, ever). */
export const SINGLETON_ANNOTATION = 'trading-platform-manifests/singleton';

/** Annotation prefix of a policy waiver: `trading-platform-manifests/waive-<rule id>: <reason>`. */
export const WAIVER_PREFIX = 'trading-platform-manifests/waive-';

/** Kinds whose documents hold a pod template. */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'];
const WORKLOADS = new Set(WORKLOAD_KINDS);

/** Workload kinds whose pods run until stopped (they need probes). */
export const LONG_RUNNING_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** The pod template spec of a workload document, or undefined. */
export function podSpecOf(doc: Doc): Doc | undefined {
  if (!WORKLOADS.has(doc.kind)) return undefined;
  return doc.kind === 'CronJob' ? doc.spec?.jobTemplate?.spec?.template?.spec : doc.spec?.template?.spec;
}

/** The pod template spec of a workload document as a list of one, or `[]` for any other document. */
export function podSpecsOf(doc: Doc): Doc[] {
  const spec = podSpecOf(doc);
  return spec ? [spec] : [];
}

/** The pod template labels of a workload document (`{}` when it has none). */
export function podLabelsOf(doc: Doc): Record<string, string> {
  return (doc.kind === 'CronJob' ? doc.spec?.jobTemplate?.spec?.template?.metadata?.labels : doc.spec?.template?.metadata?.labels) ?? {};
}

/** Every container of a pod spec, init containers first, each marked. */
export function containersOf(spec: Doc): Array<{ init: boolean; c: Doc }> {
  return [...(spec.initContainers ?? []).map((c: Doc) => ({ init: true, c })), ...(spec.containers ?? []).map((c: Doc) => ({ init: false, c }))];
}

/** Finds the pod templates a label selector matches, through a label index (no pairwise scan). */
export class PodIndex<T extends { readonly doc: Doc }> {
  private readonly byLabel = new Map<string, T[]>();
  public constructor(items: readonly T[]) {
    for (const o of items) {
      if (!podSpecOf(o.doc)) continue;
      for (const [k, v] of Object.entries(podLabelsOf(o.doc))) {
        const key = `${k}=${v}`;
        const list = this.byLabel.get(key) ?? [];
        list.push(o);
        this.byLabel.set(key, list);
      }
    }
  }

  /** The items whose pod labels hold every pair of `selector`; `[]` for an empty selector. */
  public select(selector: Record<string, string> | undefined): T[] {
    const pairs = Object.entries(selector ?? {});
    if (pairs.length === 0) return [];
    let smallest: T[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.byLabel.get(`${k}=${v}`) ?? [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest!.filter((o) => pairs.every(([k, v]) => podLabelsOf(o.doc)[k] === v));
  }
}

/** The class of an Ingress: `spec.ingressClassName`, else the older `kubernetes.io/ingress.class` annotation. */
export function ingressClassOf(doc: Doc): unknown {
  return doc.spec?.ingressClassName ?? doc.metadata?.annotations?.['kubernetes.io/ingress.class'];
}
