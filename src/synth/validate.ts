/**
 * Schema validation of rendered documents with `kubernetes-models` (precompiled validators of
 * the Kubernetes OpenAPI schemas: types, required fields, enums, formats) and its companion
 * packages for CRDs. One model class per apiVersion/kind, loaded once and cached.
 */

/** Package that holds the models of an API group; core and built-in groups are in `kubernetes-models`. */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

function modulePath(apiVersion: string, kind: string): string {
  // `monitoring.coreos.com/v1` → its group; a core `v1` is no CRD group either.
  const pkg = CRD_PACKAGES[apiVersion.split('/')[0]] ?? 'kubernetes-models';
  return `${pkg}/${apiVersion}/${kind}`;
}

type ModelClass = new (data: unknown) => { validate(): void };
type ModelModule = Record<string, ModelClass | undefined>;

/**
 * The kinds the library renders, each with a literal `require`, so that a bundler (the synth
 * app's esbuild bundle, see scripts/app.js) can include their validators: resolving the few
 * hundred small validator modules one by one at run time cost about 180 ms of a cold synth.
 * Loaded on first use. Any other kind is looked up by name in the packages above.
 */
const KNOWN: Readonly<Record<string, () => ModelModule>> = {
  'v1/Namespace': () => require('kubernetes-models/v1/Namespace'),
  'v1/ResourceQuota': () => require('kubernetes-models/v1/ResourceQuota'),
  'v1/LimitRange': () => require('kubernetes-models/v1/LimitRange'),
  'v1/ServiceAccount': () => require('kubernetes-models/v1/ServiceAccount'),
  'v1/ConfigMap': () => require('kubernetes-models/v1/ConfigMap'),
  'v1/Secret': () => require('kubernetes-models/v1/Secret'),
  'v1/PersistentVolumeClaim': () => require('kubernetes-models/v1/PersistentVolumeClaim'),
  'v1/Service': () => require('kubernetes-models/v1/Service'),
  'apps/v1/Deployment': () => require('kubernetes-models/apps/v1/Deployment'),
  'apps/v1/StatefulSet': () => require('kubernetes-models/apps/v1/StatefulSet'),
  'batch/v1/Job': () => require('kubernetes-models/batch/v1/Job'),
  'batch/v1/CronJob': () => require('kubernetes-models/batch/v1/CronJob'),
  'autoscaling/v2/HorizontalPodAutoscaler': () => require('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'),
  'policy/v1/PodDisruptionBudget': () => require('kubernetes-models/policy/v1/PodDisruptionBudget'),
  'networking.k8s.io/v1/NetworkPolicy': () => require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
  'networking.k8s.io/v1/Ingress': () => require('kubernetes-models/networking.k8s.io/v1/Ingress'),
  'rbac.authorization.k8s.io/v1/Role': () => require('kubernetes-models/rbac.authorization.k8s.io/v1/Role'),
  'rbac.authorization.k8s.io/v1/RoleBinding': () => require('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'),
  'monitoring.coreos.com/v1/ServiceMonitor': () => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'),
  'argoproj.io/v1alpha1/AppProject': () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject'),
  'argoproj.io/v1alpha1/Application': () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application'),
  'external-secrets.io/v1beta1/ExternalSecret': () => require('@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret'),
};

const models = new Map<string, ModelClass | null>();

function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    let cls: ModelClass | null = null;
    if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z]+$/.test(kind)) {
      try {
        // e.g. kubernetes-models/apps/v1/Deployment, kubernetes-models/v1/Service
        const module = KNOWN[key]?.() ?? (require(modulePath(apiVersion, kind)) as ModelModule);
        cls = module[kind] ?? null;
      } catch {
        // no such model in its package: the kind has no schema (cls stays null)
      }
    }
    models.set(key, cls);
  }
  return models.get(key)!;
}

/**
 * Validates one document against its schema (kubernetes-models); returns the problems, each
 * with the path of the bad field. Field names are checked when the document is rendered
 * (`fields.ts`).
 */
export function schemaProblems(doc: Record<string, unknown>): string[] {
  const missing = (['apiVersion', 'kind'] as const).filter((k) => typeof doc[k] !== 'string' || doc[k] === '');
  if (missing.length) return missing.map((k) => `${k} is missing; every document needs an apiVersion and a kind`);
  const apiVersion = doc.apiVersion as string;
  const kind = doc.kind as string;
  const Model = modelFor(apiVersion, kind);
  if (!Model) return [`no schema for ${apiVersion} ${kind}; the library renders only kinds it can validate`];
  try {
    // The model's validate() reads only `this`; calling it on the document itself skips the deep
    // copy its constructor makes (a third of validation time at 1,000 services).
    Model.prototype.validate.call(doc);
    return [];
  } catch (e) {
    const errors = (e as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> }).errors;
    if (!errors) return [String((e as Error).message ?? e)];
    return errors.map((x) => `${x.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(document)'} ${x.message ?? 'is invalid'} ${x.params ? JSON.stringify(x.params) : ''}`.trim());
  }
}
