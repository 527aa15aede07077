/**
 * The HorizontalPodAutoscaler and PodDisruptionBudget rules of the API server port
 * (src/apiserver/scaling.ts), called directly on small documents: what each rule refuses, with
 * which field path and message, and the neighbouring values it accepts.
 */
import { describe, expect, it } from 'vitest';
import { Errors, formatError } from '../src/apiserver/field';
import { validateHpa, validatePdb } from '../src/apiserver/scaling';

type Doc = Record<string, any>;

function errorsOf(validate: (doc: Doc, errs: Errors) => void, doc: Doc): string[] {
  const errs = new Errors();
  validate(doc, errs);
  return errs.list.map(formatError);
}

const labels = { app: 'web' };

describe('HorizontalPodAutoscaler', () => {
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
  const hpa = (spec: Doc = {}): Doc => ({ spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, metrics: [cpu], ...spec } });
  const metric = (m: Doc): string[] => errorsOf(validateHpa, hpa({ metrics: [m] }));
  const rules = (scaleUp: Doc): string[] => errorsOf(validateHpa, hpa({ behavior: { scaleUp } }));
  const policy = { type: 'Pods', value: 1, periodSeconds: 60 };

  it('accepts one replica at least and at most, or no minimum', () => {
    expect(errorsOf(validateHpa, hpa())).toEqual([]);
    expect(errorsOf(validateHpa, hpa({ minReplicas: 1, maxReplicas: 1 }))).toEqual([]);
    expect(errorsOf(validateHpa, hpa({ minReplicas: undefined, maxReplicas: 1 }))).toEqual([]);
  });

  it('requires the target kind', () => {
    expect(errorsOf(validateHpa, hpa({ scaleTargetRef: { name: 'web' } }))).toEqual(['spec.scaleTargetRef.kind: required value']);
  });

  it.each([
    ['ContainerResource', { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 1 } } }],
    ['Resource by average value', { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }],
    ['Pods', { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } }],
    ['Object', { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value', value: '10' } } }],
    ['External', { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }],
    ['Object with both a value and an average value', { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value', value: '10', averageValue: '1' } } }],
  ])('accepts a %s metric', (_name, m) => {
    expect(metric(m)).toEqual([]);
  });

  const at = (p: string) => `spec.metrics[0].${p}`;
  it.each([
    ['no type', { resource: cpu.resource }, [`${at('type')}: required value: must specify a metric source type`, `${at('type')}: unsupported value "": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"`]],
    ["its type's source missing", { type: 'Pods' }, [`${at('pods')}: required value: must populate information for the given metric source`]],
    ["another type's source only: validated, and the type's own required", { type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization' } } }, [`${at('resource.target.averageUtilization')}: required value: must set either a target raw value or a target utilization`, `${at('pods')}: required value: must populate information for the given metric source`]],
    ['an unknown type', { ...cpu, type: 'Magic' }, [`${at('type')}: unsupported value "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"`]],
    ['a second source, at its own path', { ...cpu, external: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } } }, [`${at('external')}: forbidden: must populate the given metric source only`]],
    ['a container resource without a container', { type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }, [`${at('containerResource.container')}: required value: must specify a container`]],
    ['a container name that is not a DNS label', { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'App', target: { type: 'Utilization', averageUtilization: 60 } } }, [`${at('containerResource.container')}: invalid value "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')`]],
    ['a container resource without a target', { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app' } }, [`${at('containerResource.target.type')}: required value: must specify a metric target type`, `${at('containerResource.target.type')}: invalid value "": must be either Utilization, Value, or AverageValue`, `${at('containerResource.target.averageUtilization')}: required value: must set either a target raw value or a target utilization`]],
    ['a Pods metric without an average value', { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'Value', value: '1' } } }, [`${at('pods.target.averageValue')}: required value: must specify a positive target averageValue`]],
    ['a metric without a name', { type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue', averageValue: '1' } } }, [`${at('pods.metric.name')}: required value: must specify a metric name`]],
    ['a metric name with a slash', { type: 'Pods', pods: { metric: { name: 'a/b' }, target: { type: 'AverageValue', averageValue: '1' } } }, [`${at('pods.metric.name')}: invalid value "a/b": may not contain '/'`]],
    ['an Object metric without a described object or value', { type: 'Object', object: { metric: { name: 'rps' }, target: { type: 'Value' } } }, [`${at('object.describedObject.kind')}: required value`, `${at('object.describedObject.name')}: required value`, `${at('object.target.averageValue')}: required value: must set either a target value or averageValue`]],
    ['an External metric without a value', { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value' } } }, [`${at('external.target.averageValue')}: required value: must set either a target value for metric or a per-pod target`]],
    ['an External metric with both values', { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '1', averageValue: '1' } } }, [`${at('external.target.value')}: forbidden: may not set both a target value for metric and a per-pod target`]],
    ['a value of 0', { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '0' } } }, [`${at('external.target.value')}: invalid value "0": must be positive`]],
    ['a utilization of 0', { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }, [`${at('resource.target.averageUtilization')}: invalid value 0: must be greater than 0`]],
  ])('refuses a metric with %s', (_name, m, errors) => {
    expect(metric(m)).toEqual(errors);
  });

  it('accepts behaviour within the bounds', () => {
    const up = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 1800 }] };
    const down = { stabilizationWindowSeconds: 3600, selectPolicy: 'Min', policies: [policy] };
    expect(errorsOf(validateHpa, hpa({ behavior: { scaleUp: up, scaleDown: down } }))).toEqual([]);
    expect(rules({ selectPolicy: 'Disabled', policies: [policy] })).toEqual([]);
  });

  it.each([
    ['a negative stabilization window', { stabilizationWindowSeconds: -1, policies: [policy] }, ['spec.behavior.scaleUp.stabilizationWindowSeconds: invalid value -1: must be greater than or equal to zero']],
    ['a stabilization window above an hour', { stabilizationWindowSeconds: 3601, policies: [policy] }, ['spec.behavior.scaleUp.stabilizationWindowSeconds: invalid value 3601: must be less than or equal to 3600']],
    ['an unknown select policy', { selectPolicy: 'Magic', policies: [policy] }, ['spec.behavior.scaleUp.selectPolicy: unsupported value "Magic": supported values: "Disabled", "Max", "Min"']],
    ['no policies', {}, ['spec.behavior.scaleUp.policies: required value: must specify at least one Policy']],
    ['a policy of unknown type, no value and no period', { policies: [{ type: 'Magic' }] }, [
      'spec.behavior.scaleUp.policies[0].type: unsupported value "Magic": supported values: "Percent", "Pods"',
      'spec.behavior.scaleUp.policies[0].value: invalid value nothing: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: invalid value nothing: must be greater than zero',
    ]],
  ])('refuses a scaling rule with %s', (_name, scaleUp, errors) => {
    expect(rules(scaleUp)).toEqual(errors);
  });
});

describe('PodDisruptionBudget', () => {
  const pdb = (spec: Doc): Doc => ({ spec: { selector: { matchLabels: labels }, ...spec } });

  it.each([
    ['minAvailable 1', { minAvailable: 1 }],
    ['maxUnavailable 100%', { maxUnavailable: '100%' }],
    ['policy AlwaysAllow', { minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' }],
    ['policy IfHealthyBudget', { minAvailable: 1, unhealthyPodEvictionPolicy: 'IfHealthyBudget' }],
  ])('accepts %s', (_name, spec) => {
    expect(errorsOf(validatePdb, pdb(spec))).toEqual([]);
  });

  it.each([
    ['both minAvailable and maxUnavailable', { minAvailable: 1, maxUnavailable: 1 }, ['spec: invalid value {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set']],
    ['maxUnavailable above 100%', { maxUnavailable: '101%' }, ['spec.maxUnavailable: invalid value "101%": must not be greater than 100%']],
    ['another unhealthy pod eviction policy', { unhealthyPodEvictionPolicy: 'Sometimes' }, ['spec.unhealthyPodEvictionPolicy: unsupported value "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"']],
  ])('refuses %s', (_name, spec, errors) => {
    expect(errorsOf(validatePdb, pdb(spec))).toEqual(errors);
  });
});
