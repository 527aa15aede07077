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
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const pkg = CRD_PACKAGES[group] ?? 'kubernetes-models';
  return `${pkg}/${apiVersion}/${kind}`;
}

type ModelClass = new (data: unknown) => { validate(): void };
const models = new Map<string, ModelClass | null>();

function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    let cls: ModelClass | null = null;
    if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z]+$/.test(kind)) {
      try {
        // e.g. kubernetes-models/apps/v1/Deployment, kubernetes-models/v1/Service
        cls = (require(modulePath(apiVersion, kind)) as Record<string, ModelClass>)[kind] ?? null;
      } catch {
        cls = null;
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
  const apiVersion = String(doc.apiVersion);
  const kind = String(doc.kind);
  const Model = modelFor(apiVersion, kind);
  if (!Model) return [`no schema for ${apiVersion} ${kind}; the library renders only kinds it can validate`];
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> }).errors;
    if (!errors) return [String((e as Error).message ?? e)];
    return errors.map((x) => `${x.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(document)'} ${x.message ?? 'is invalid'} ${x.params ? JSON.stringify(x.params) : ''}`.trim());
  }
}
