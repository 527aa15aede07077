/**
 * HorizontalPodAutoscaler (`pkg/apis/autoscaling/validation`: validateHorizontalPodAutoscalerSpec,
 * ValidateCrossVersionObjectReference, validateMetrics, validateMetricTarget, validateBehavior)
 * and PodDisruptionBudget (`pkg/apis/policy/validation`: ValidatePodDisruptionBudgetSpec),
 * Kubernetes 1.27.
 */
import { quantityValue } from '../quantity';
import { child, Errors, list, obj } from './field';
import { isValidPathSegmentName, validateLabelSelector } from './meta';
import { intOrPercent } from './workloads';

const METRIC_TYPES: Readonly<Record<string, string>> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

/** validateMetricTarget (+ validateResourceSource's value-or-utilization rule). */
function validateTarget(targetIn: unknown, path: string, resource: boolean, errs: Errors): void {
  const t = obj(targetIn);
  if (!t.type) errs.required(child(path, 'type'), 'must specify a metric target type');
  else if (!TARGET_TYPES.includes(t.type)) errs.invalid(child(path, 'type'), t.type, 'must be either Utilization, Value, or AverageValue');
  for (const f of ['value', 'averageValue']) if (t[f] !== undefined && !(quantityValue(t[f]) > 0)) errs.invalid(child(path, f), t[f], 'must be positive');
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) errs.invalid(child(path, 'averageUtilization'), t.averageUtilization, 'must be greater than 0');
  if (!resource) return;
  if (t.averageUtilization === undefined && t.averageValue === undefined) errs.required(child(path, 'averageUtilization'), 'must set either a target raw value or a target utilization');
  if (t.averageUtilization !== undefined && t.averageValue !== undefined) errs.forbidden(child(path, 'averageValue'), 'may not set both a target raw value and a target utilization');
}

/** validateScalingRules of a behavior's scaleUp or scaleDown. */
function validateRules(rulesIn: unknown, path: string, errs: Errors): void {
  if (rulesIn === undefined) return;
  const r = obj(rulesIn);
  const w = r.stabilizationWindowSeconds;
  if (w !== undefined && (w < 0 || w > 3600)) errs.invalid(child(path, 'stabilizationWindowSeconds'), w, w < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600');
  if (r.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(r.selectPolicy)) errs.notSupported(child(path, 'selectPolicy'), r.selectPolicy, ['Disabled', 'Max', 'Min']);
  const policies = list(r.policies);
  if (policies.length === 0) errs.required(child(path, 'policies'), 'must specify at least one Policy');
  policies.forEach((p, i) => {
    const pp = `${child(path, 'policies')}[${i}]`;
    if (!['Percent', 'Pods'].includes(p?.type)) errs.notSupported(child(pp, 'type'), p?.type, ['Percent', 'Pods']);
    if (!(p?.value > 0)) errs.invalid(child(pp, 'value'), p?.value, 'must be greater than zero');
    if (!(p?.periodSeconds > 0)) errs.invalid(child(pp, 'periodSeconds'), p?.periodSeconds, 'must be greater than zero');
    else if (p.periodSeconds > 1800) errs.invalid(child(pp, 'periodSeconds'), p.periodSeconds, 'must be less than or equal to 1800');
  });
}

/** validateHorizontalPodAutoscalerSpec (autoscaling/v2). */
export function validateHpa(doc: Record<string, any>, errs: Errors): void {
  const spec = obj(doc.spec);
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) errs.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1');
  if (!(spec.maxReplicas >= 1)) errs.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0');
  if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) errs.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`');
  const ref = obj(spec.scaleTargetRef);
  for (const f of ['kind', 'name']) {
    if (!ref[f]) errs.required(`spec.scaleTargetRef.${f}`);
    else errs.each(`spec.scaleTargetRef.${f}`, ref[f], isValidPathSegmentName(String(ref[f])));
  }
  list(spec.metrics).forEach((m, i) => {
    const p = `spec.metrics[${i}]`;
    if (!m?.type) return errs.required(child(p, 'type'), 'must specify a metric source type');
    const field = METRIC_TYPES[m.type];
    if (!field) return errs.notSupported(child(p, 'type'), m.type, Object.keys(METRIC_TYPES).sort());
    const present = Object.values(METRIC_TYPES).filter((f) => m[f] !== undefined);
    if (m[field] === undefined) return errs.required(child(p, field), 'must populate information for the given metric source');
    if (present.length > 1) errs.forbidden(p, 'must populate the given metric source only');
    const resource = m.type === 'Resource' || m.type === 'ContainerResource';
    if (resource && !m[field].name) errs.required(child(p, `${field}.name`), 'must specify a resource name');
    validateTarget(m[field].target, child(p, `${field}.target`), resource, errs);
  });
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
