/**
 * What kube-apiserver 1.27 validates beyond the OpenAPI schema (`pkg/apis/<group>/validation` in
 * the Kubernetes source), run at synth on the final documents, plus the env-wide checks of
 * `env.ts`. Each kind has its name rule (ValidateObjectMeta's name function) and its
 * validation; see the rule table in the README.
 */
import { envFindings, EnvObject } from './env';
import { Errors, formatError } from './field';
import { isValidPathSegmentName, NameFn, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta } from './meta';
import { validateConfigMap, validateLimitRange, validateResourceQuota, validateService, validatePvcSpec } from './core';
import { validateIngress, validateNetworkPolicy } from './networking';
import { Warn } from './pod';
import { validateRole, validateRoleBinding } from './rbac';
import { validateHpa, validatePdb } from './scaling';
import { validateCronJob, validateDeployment, validateJob, validateStatefulSet } from './workloads';

export type { EnvObject } from './env';

type Validate = (doc: Record<string, any>, errs: Errors, warn: Warn) => void;

const none: Validate = () => undefined;

/** apiVersion/kind → the name rule and the validation the API server runs on create. */
const KINDS: Readonly<Record<string, readonly [NameFn, Validate]>> = {
  'v1/Namespace': [nameIsDNSLabel, none],
  'v1/ServiceAccount': [nameIsDNSSubdomain, none],
  'v1/ConfigMap': [nameIsDNSSubdomain, validateConfigMap],
  'v1/Secret': [nameIsDNSSubdomain, none],
  'v1/Service': [nameIsDNS1035Label, validateService],
  'v1/PersistentVolumeClaim': [nameIsDNSSubdomain, (d, e) => validatePvcSpec(d.spec, 'spec', e)],
  'v1/ResourceQuota': [nameIsDNSSubdomain, validateResourceQuota],
  'v1/LimitRange': [nameIsDNSSubdomain, validateLimitRange],
  'apps/v1/Deployment': [nameIsDNSSubdomain, validateDeployment],
  'apps/v1/StatefulSet': [nameIsDNSSubdomain, validateStatefulSet],
  'batch/v1/Job': [nameIsDNSSubdomain, validateJob],
  'batch/v1/CronJob': [nameIsDNSSubdomain, validateCronJob],
  'autoscaling/v2/HorizontalPodAutoscaler': [nameIsDNSSubdomain, validateHpa],
  'policy/v1/PodDisruptionBudget': [nameIsDNSSubdomain, validatePdb],
  'networking.k8s.io/v1/Ingress': [nameIsDNSSubdomain, validateIngress],
  'networking.k8s.io/v1/NetworkPolicy': [nameIsDNSSubdomain, validateNetworkPolicy],
  'rbac.authorization.k8s.io/v1/Role': [isValidPathSegmentName, validateRole],
  'rbac.authorization.k8s.io/v1/RoleBinding': [isValidPathSegmentName, validateRoleBinding],
  // Custom resources: the API server validates their metadata (names are DNS subdomains); their
  // CRDs' structural schemas are what the schema check runs (kubernetes-models' CRD packages).
  'monitoring.coreos.com/v1/ServiceMonitor': [nameIsDNSSubdomain, none],
  'argoproj.io/v1alpha1/Application': [nameIsDNSSubdomain, none],
  'argoproj.io/v1alpha1/AppProject': [nameIsDNSSubdomain, none],
  'external-secrets.io/v1beta1/ExternalSecret': [nameIsDNSSubdomain, none],
};

/** The field errors and accepted-but-wrong findings of one document, unprefixed. */
export function documentFindings(doc: Record<string, any>): { errors: string[]; warnings: string[] } {
  const errs = new Errors();
  const warnings: string[] = [];
  const rules = KINDS[`${doc.apiVersion}/${doc.kind}`];
  if (rules) {
    validateObjectMeta(doc.metadata, rules[0], errs);
    rules[1](doc, errs, (field, message) => warnings.push(`${field}: ${message}`));
  }
  return { errors: errs.list.map(formatError), warnings };
}

const label = (o: EnvObject) => `${o.env}/${o.constructPath}`;
const object = (o: EnvObject) => `${o.doc.kind}/${o.doc.metadata?.name}`;

/**
 * Every problem of the given objects, one line each: what the API server would refuse
 * (`[api-server]`), what it accepts but does not work (`[accepted-but-wrong]`), and the env-wide
 * findings (`[env]`), each naming env, construct, object, field and value.
 */
export function apiServerProblems(objects: readonly EnvObject[]): string[] {
  const problems: string[] = [];
  const envs = new Map<string, EnvObject[]>();
  for (const o of objects) {
    const { errors, warnings } = documentFindings(o.doc);
    for (const e of errors) problems.push(`${label(o)}: [api-server] ${object(o)}: ${e}`);
    for (const w of warnings) problems.push(`${label(o)}: [accepted-but-wrong] ${object(o)}: ${w}`);
    const same = envs.get(o.env);
    if (same) same.push(o);
    else envs.set(o.env, [o]);
  }
  for (const list of envs.values()) {
    for (const f of envFindings(list)) problems.push(`${label(f.object)}: [env] ${object(f.object)}: ${f.field}: ${f.message}`);
  }
  return problems;
}
