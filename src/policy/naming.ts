/** Policy rules of naming: object names and labels the API server accepts, and namespaces. */
import { dnsLabel } from '../checks';
import { Rule } from './rule';


const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'CustomResourceDefinition', 'IngressClass']);

/** Names, labels and namespaces. */
export const NAMING_RULES: readonly Rule[] = [
  {
    id: 'names',
    rationale: 'the API server refuses names that are not DNS-1123 labels or are too long (CronJobs: 52, for their Jobs\' suffix)',
    fix: 'rename the construct (its id is the object name)',
    check: (ctx) =>
      ctx.objects.flatMap((o) => {
        const name = o.doc.metadata?.name;
        const problem = dnsLabel(name, o.doc.kind === 'CronJob' ? 52 : 63);
        const labels = Object.entries(o.doc.metadata?.labels ?? {}).filter(([, v]) => typeof v !== 'string' || v.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v as string));
        return [
          ...(problem ? [{ object: o, message: `name ${problem}` }] : []),
          ...labels.map(([k, v]) => ({ object: o, message: `label ${k}=${JSON.stringify(v)} is not a valid label value (63 characters, alphanumerics, '-', '_', '.')` })),
        ];
      }),
  },
  {
    id: 'namespace-scope',
    rationale: 'namespaced objects belong to the platform\'s namespace; cluster-scoped ones carry none, or kubectl and Argo CD disagree on identity',
    fix: 'let PlatformChart.metadata() set the namespace; never set one on cluster-scoped kinds',
    check: (ctx) =>
      ctx.objects.flatMap((o) => {
        const ns = o.doc.metadata?.namespace;
        if (CLUSTER_SCOPED.has(o.doc.kind)) return ns === undefined ? [] : [{ object: o, message: `is cluster-scoped but has namespace "${ns}"` }];
        return ns === ctx.namespace ? [] : [{ object: o, message: `has namespace ${JSON.stringify(ns)}; expected "${ctx.namespace}"` }];
      }),
  },
];
