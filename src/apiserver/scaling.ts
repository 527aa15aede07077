/**
 * HorizontalPodAutoscaler (`pkg/apis/autoscaling/validation`: validateHorizontalPodAutoscalerSpec,
 * ValidateCrossVersionObjectReference, validateMetrics, validateMetricTarget, validateBehavior)
 * and PodDisruptionBudget (`pkg/apis/policy/validation`: ValidatePodDisruptionBudgetSpec),
 * Kubernetes 1.27.
 */
import { quantityValue } from '../quantity';
import { child, Errors, list, obj } from './field';
import { isDNS1123Label, isValidPathSegmentName, validateLabelSelector } from './meta';
import { intOrPercent } from './workloads';

/** Metric source type → its field, in the order validateMetricSpec looks at the fields. */
const SOURCES: ReadonlyMap<string, string> = new Map([['Object', 'object'], ['External', 'external'], ['Pods', 'pods'], ['Resource', 'resource'], ['ContainerResource', 'containerResource']]);
const METRIC_TYPES = [...SOURCES.keys()].sort();
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

/** validateMetricTarget. */
function validateTarget(t: Record<string, any>, path: string, errs: Errors): void {
  if (!t.type) errs.required(child(path, 'type'), 'must specify a metric target type');
  if (!TARGET_TYPES.includes(t.type)) errs.invalid(child(path, 'type'), t.type ?? '', 'must be either Utilization, Value, or AverageValue');
  for (const f of ['value', 'averageValue']) if (t[f] !== undefined && !(quantityValue(t[f]) > 0)) errs.invalid(child(path, f), t[f], 'must be positive');
  if (t.averageUtilization < 1) errs.invalid(child(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0');
}

/** validateMetricIdentifier. */
function validateMetricName(metric: unknown, path: string, errs: Errors): void {
  const name = obj(metric).name;
  if (!name) errs.required(child(path, 'name'), 'must specify a metric name');
  else errs.each(child(path, 'name'), name, isValidPathSegmentName(String(name)));
}

/** validateObjectSource, validateExternalSource, validatePodsSource, validateResourceSource, validateContainerResourceSource. */
function validateSource(field: string, src: Record<string, any>, path: string, errs: Errors): void {
  const t = obj(src.target);
  const target = child(path, 'target');
  if (field === 'resource' || field === 'containerResource') {
    if (!src.name) errs.required(child(path, 'name'), 'must specify a resource name');
    if (field === 'containerResource') {
      if (!src.container) errs.required(child(path, 'container'), 'must specify a container');
      else errs.each(child(path, 'container'), src.container, isDNS1123Label(String(src.container)));
    }
    validateTarget(t, target, errs);
    if (t.averageUtilization === undefined && t.averageValue === undefined) errs.required(child(target, 'averageUtilization'), 'must set either a target raw value or a target utilization');
    if (t.averageUtilization !== undefined && t.averageValue !== undefined) errs.forbidden(child(target, 'averageValue'), 'may not set both a target raw value and a target utilization');
    return;
  }
  if (field === 'object') ['kind', 'name'].forEach((f) => crossVersionRef(src.describedObject, child(path, 'describedObject'), f, errs));
  validateMetricName(src.metric, child(path, 'metric'), errs);
  validateTarget(t, target, errs);
  if (field === 'pods') {
    if (t.averageValue === undefined) errs.required(child(target, 'averageValue'), 'must specify a positive target averageValue');
  } else if (t.value === undefined && t.averageValue === undefined) {
    errs.required(child(target, 'averageValue'), field === 'object' ? 'must set either a target value or averageValue' : 'must set either a target value for metric or a per-pod target');
  } else if (field === 'external' && t.value !== undefined && t.averageValue !== undefined) {
    errs.forbidden(child(target, 'value'), 'may not set both a target value for metric and a per-pod target');
  }
}

/** One field of ValidateCrossVersionObjectReference. */
function crossVersionRef(ref: unknown, path: string, f: string, errs: Errors): void {
  const v = obj(ref)[f];
  if (!v) errs.required(child(path, f));
  else errs.each(child(path, f), v, isValidPathSegmentName(String(v)));
}

/** validateMetricSpec: the first source set is validated; a source other than the type's is forbidden. */
function validateMetric(m: Record<string, any>, p: string, errs: Errors): void {
  if (!m.type) errs.required(child(p, 'type'), 'must specify a metric source type');
  const field = SOURCES.get(m.type);
  if (!field) errs.notSupported(child(p, 'type'), m.type ?? '', METRIC_TYPES);
  const present = [...SOURCES.values()].filter((f) => m[f] !== undefined);
  if (present.length > 0) validateSource(present[0], obj(m[present[0]]), child(p, present[0]), errs);
  if (field && m[field] === undefined) errs.required(child(p, field), 'must populate information for the given metric source');
  if (present.length > 1) for (const f of present) if (f !== field) errs.forbidden(child(p, f), 'must populate the given metric source only');
}

/** validateScalingRules of a behavior's scaleUp or scaleDown. */
function validateRules(rulesIn: unknown, path: string, errs: Errors): void {
  if (rulesIn === undefined) return;
  const r = obj(rulesIn);
  const w = r.stabilizationWindowSeconds;
  if (w < 0 || w > 3600) errs.invalid(child(path, 'stabilizationWindowSeconds'), w, w < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600');
  if (r.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(r.selectPolicy)) errs.notSupported(child(path, 'selectPolicy'), r.selectPolicy, ['Disabled', 'Max', 'Min']);
  const policies = list(r.policies).map(obj);
  if (policies.length === 0) errs.required(child(path, 'policies'), 'must specify at least one Policy');
  policies.forEach((p, i) => {
    const pp = `${child(path, 'policies')}[${i}]`;
    if (!['Percent', 'Pods'].includes(p.type)) errs.notSupported(child(pp, 'type'), p.type, ['Percent', 'Pods']);
    if (!(p.value > 0)) errs.invalid(child(pp, 'value'), p.value, 'must be greater than zero');
    if (!(p.periodSeconds > 0)) errs.invalid(child(pp, 'periodSeconds'), p.periodSeconds, 'must be greater than zero');
    else if (p.periodSeconds > 1800) errs.invalid(child(pp, 'periodSeconds'), p.periodSeconds, 'must be less than or equal to 1800');
  });
}

/** validateHorizontalPodAutoscalerSpec (autoscaling/v2). */
export function validateHpa(doc: Record<string, any>, errs: Errors): void {
  const spec = obj(doc.spec);
  // (an unset minReplicas compares false)
  if (spec.minReplicas < 1) errs.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1');
  if (!(spec.maxReplicas >= 1)) errs.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0');
  if (spec.maxReplicas < spec.minReplicas) errs.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`');
  for (const f of ['kind', 'name']) crossVersionRef(spec.scaleTargetRef, 'spec.scaleTargetRef', f, errs);
  list(spec.metrics).forEach((m, i) => validateMetric(obj(m), `spec.metrics[${i}]`, errs));
  validateRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp', errs);
  validateRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown', errs);
}

/** ValidatePodDisruptionBudgetSpec. */
export function validatePdb(doc: Record<string, any>, errs: Errors): void {
  const spec = obj(doc.spec);
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) errs.invalid('spec', { minAvailable: spec.minAvailable, maxUnavailable: spec.maxUnavailable }, 'minAvailable and maxUnavailable cannot be both set');
  intOrPercent(spec.minAvailable, 'spec.minAvailable', errs, true);
  intOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', errs, true);
  validateLabelSelector(spec.selector, 'spec.selector', errs);
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !['AlwaysAllow', 'IfHealthyBudget'].includes(policy)) errs.notSupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']);
}
