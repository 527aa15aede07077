/**
 * The workload rules of the API server port (src/apiserver/workloads.ts), called directly on
 * small documents: what each rule refuses, with which field path and message, and the
 * neighbouring values it accepts.
 */
import { describe, expect, it } from 'vitest';
import { Errors, formatError } from '../src/apiserver/field';
import { validateDeployment, validateJob, validateStatefulSet } from '../src/apiserver/workloads';

type Doc = Record<string, any>;
type Validate = (doc: Doc, errs: Errors, warn: (field: string, message: string) => void) => void;

function findings(validate: Validate, doc: Doc): { errors: string[]; warnings: string[] } {
  const errs = new Errors();
  const warnings: string[] = [];
  validate(doc, errs, (field, message) => warnings.push(`${field}: ${message}`));
  return { errors: errs.list.map(formatError), warnings };
}
const errorsOf = (validate: Validate, doc: Doc): string[] => findings(validate, doc).errors;

const labels = { app: 'web' };
const containers = [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0' }];
const template = (spec: Doc = {}): Doc => ({ metadata: { labels }, spec: { containers, ...spec } });
const deployment = (spec: Doc = {}): Doc => ({ metadata: { name: 'web' }, spec: { selector: { matchLabels: labels }, template: template(), ...spec } });
const statefulSet = (spec: Doc = {}): Doc => deployment(spec);
const claim = (name?: string): Doc => ({ ...(name ? { metadata: { name } } : {}), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
const jobSpec = (spec: Doc = {}): Doc => ({ template: template({ restartPolicy: 'Never' }), ...spec });
const job = (spec: Doc = {}): Doc => ({ metadata: { name: 'migrate' }, spec: jobSpec(spec) });

const NOT_NEGATIVE = 'must be greater than or equal to 0';

describe('Deployment', () => {
  it('accepts a minimal Deployment, and counts of 0', () => {
    expect(errorsOf(validateDeployment, deployment())).toEqual([]);
    expect(errorsOf(validateDeployment, deployment({ replicas: 0, minReadySeconds: 0, revisionHistoryLimit: 0 }))).toEqual([]);
  });

  it.each(['replicas', 'minReadySeconds', 'revisionHistoryLimit'])('refuses a negative %s', (f) => {
    expect(errorsOf(validateDeployment, deployment({ [f]: -1 }))).toEqual([`spec.${f}: invalid value -1: ${NOT_NEGATIVE}`]);
  });

  it('refuses a progressDeadlineSeconds that is negative or not above minReadySeconds, and accepts one above', () => {
    expect(errorsOf(validateDeployment, deployment({ progressDeadlineSeconds: -1 }))).toEqual([
      `spec.progressDeadlineSeconds: invalid value -1: ${NOT_NEGATIVE}`,
      'spec.progressDeadlineSeconds: invalid value -1: must be greater than minReadySeconds',
    ]);
    expect(errorsOf(validateDeployment, deployment({ progressDeadlineSeconds: 0 }))).toEqual(['spec.progressDeadlineSeconds: invalid value 0: must be greater than minReadySeconds']);
    expect(errorsOf(validateDeployment, deployment({ progressDeadlineSeconds: 600, minReadySeconds: 10 }))).toEqual([]);
    expect(errorsOf(validateDeployment, deployment({ progressDeadlineSeconds: 1 }))).toEqual([]);
  });

  it('requires a selector; without one the template matches nothing (LabelSelectorAsSelector(nil))', () => {
    expect(errorsOf(validateDeployment, deployment({ selector: undefined }))).toEqual([
      'spec.selector: required value',
      'spec.template.metadata.labels: invalid value {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('names the template labels the selector does not match', () => {
    const t = { ...template(), metadata: { labels: { app: 'api' } } };
    expect(errorsOf(validateDeployment, deployment({ template: t }))).toEqual(['spec.template.metadata.labels: invalid value {"app":"api"}: `selector` does not match template `labels`']);
  });

  it('reads a template without labels, without a pod spec, or without either, as empty', () => {
    const mismatch = 'spec.template.metadata.labels: invalid value {}: `selector` does not match template `labels`';
    const noContainers = 'spec.template.spec.containers: required value';
    expect(errorsOf(validateDeployment, deployment({ template: { spec: { containers } } }))).toEqual([mismatch]);
    expect(errorsOf(validateDeployment, deployment({ template: { metadata: { labels } } }))).toEqual([noContainers]);
    expect(errorsOf(validateDeployment, deployment({ template: undefined }))).toEqual([mismatch, noContainers]);
    expect(errorsOf(validateDeployment, {})).toEqual(['spec.selector: required value', mismatch, noContainers]);
  });

  it('refuses a restartPolicy other than Always, and reads an empty one as Always', () => {
    expect(errorsOf(validateDeployment, deployment({ template: template({ restartPolicy: 'OnFailure' }) }))).toEqual(['spec.template.spec.restartPolicy: unsupported value "OnFailure": supported values: "Always"']);
    expect(errorsOf(validateDeployment, deployment({ template: template({ restartPolicy: '' }) }))).toEqual([]);
    expect(errorsOf(validateDeployment, deployment({ template: template({ restartPolicy: 'Always' }) }))).toEqual([]);
  });

  it.each([
    ['no strategy', undefined],
    ['Recreate', { type: 'Recreate' }],
    ['RollingUpdate without its parameters (25% each)', { type: 'RollingUpdate' }],
    ['an empty type (defaulted to RollingUpdate)', { type: '', rollingUpdate: { maxSurge: 1 } }],
    ['maxSurge 0 (maxUnavailable defaults to 25%)', { rollingUpdate: { maxSurge: 0 } }],
    ['maxUnavailable 0 (maxSurge defaults to 25%)', { rollingUpdate: { maxUnavailable: 0 } }],
    ['maxSurge 0 with maxUnavailable 1', { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }],
    ['maxUnavailable 100%', { rollingUpdate: { maxUnavailable: '100%' } }],
    ['maxSurge above 100%', { rollingUpdate: { maxSurge: '200%' } }],
  ])('accepts a strategy of %s', (_name, strategy) => {
    expect(errorsOf(validateDeployment, deployment({ strategy }))).toEqual([]);
  });

  it.each([
    ['an unknown type, naming the strategy', { type: 'BlueGreen' }, ['spec.strategy: unsupported value {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"']],
    ['rollingUpdate with Recreate (and nothing of its values)', { type: 'Recreate', rollingUpdate: { maxSurge: 0, maxUnavailable: '300%' } }, ["spec.strategy.rollingUpdate: forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    ['maxSurge and maxUnavailable both 0%', { rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } }, ['spec.strategy.rollingUpdate.maxUnavailable: invalid value "0%": may not be 0 when `maxSurge` is 0']],
    ['maxUnavailable above 100%', { rollingUpdate: { maxUnavailable: '101%' } }, ['spec.strategy.rollingUpdate.maxUnavailable: invalid value "101%": must not be greater than 100%']],
    ['a negative maxSurge', { rollingUpdate: { maxSurge: -1 } }, [`spec.strategy.rollingUpdate.maxSurge: invalid value -1: ${NOT_NEGATIVE}`]],
    ['a percent with a prefix', { rollingUpdate: { maxSurge: 'x10%' } }, [`spec.strategy.rollingUpdate.maxSurge: invalid value "x10%": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')`]],
    ['a percent with a suffix', { rollingUpdate: { maxUnavailable: '10%x' } }, [`spec.strategy.rollingUpdate.maxUnavailable: invalid value "10%x": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')`]],
  ])('refuses %s', (_name, strategy, errors) => {
    expect(errorsOf(validateDeployment, deployment({ strategy }))).toEqual(errors);
  });

  // getIntOrPercentValue reads a string that is not a percent with strconv.Atoi, 0 when it fails.
  it.each([
    ['x', 'as 0', true],
    ['x5', 'as 0', true],
    ['5x', 'as 0', true],
    ['-0', 'as 0', true],
    ['5', 'as 5', false],
    ['+5', 'as 5', false],
  ])('reads a maxUnavailable of %j, not a percent, %s when maxSurge is 0', (maxUnavailable, _as, zero) => {
    const percent = `spec.strategy.rollingUpdate.maxUnavailable: invalid value "${maxUnavailable}": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')`;
    const notZero = `spec.strategy.rollingUpdate.maxUnavailable: invalid value "${maxUnavailable}": may not be 0 when \`maxSurge\` is 0`;
    expect(errorsOf(validateDeployment, deployment({ strategy: { rollingUpdate: { maxUnavailable, maxSurge: 0 } } }))).toEqual(zero ? [percent, notZero] : [percent]);
  });

  it('reports in the order of ValidateDeploymentSpec', () => {
    expect(errorsOf(validateDeployment, deployment({ replicas: -1, minReadySeconds: -1, selector: undefined, strategy: { type: 'BlueGreen' } }))).toEqual([
      `spec.replicas: invalid value -1: ${NOT_NEGATIVE}`,
      'spec.selector: required value',
      'spec.template.metadata.labels: invalid value {"app":"web"}: `selector` does not match template `labels`',
      'spec.strategy: unsupported value {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"',
      `spec.minReadySeconds: invalid value -1: ${NOT_NEGATIVE}`,
    ]);
  });

  it('refuses activeDeadlineSeconds in the template, as a ReplicaSet does', () => {
    expect(errorsOf(validateDeployment, deployment({ template: template({ activeDeadlineSeconds: 60 }) }))).toEqual(['spec.template.spec.activeDeadlineSeconds: forbidden: activeDeadlineSeconds in ReplicaSet is not Supported']);
  });
});

describe('StatefulSet', () => {
  it('accepts a minimal StatefulSet, counts of 0, and a negative revisionHistoryLimit (which the API server does not check)', () => {
    expect(errorsOf(validateStatefulSet, statefulSet())).toEqual([]);
    expect(errorsOf(validateStatefulSet, statefulSet({ replicas: 0, minReadySeconds: 0, revisionHistoryLimit: -1 }))).toEqual([]);
  });

  it.each(['replicas', 'minReadySeconds'])('refuses a negative %s', (f) => {
    expect(errorsOf(validateStatefulSet, statefulSet({ [f]: -1 }))).toEqual([`spec.${f}: invalid value -1: ${NOT_NEGATIVE}`]);
  });

  it.each(['OrderedReady', 'Parallel', ''])('accepts podManagementPolicy %j', (policy) => {
    expect(errorsOf(validateStatefulSet, statefulSet({ podManagementPolicy: policy }))).toEqual([]);
  });

  it('refuses another podManagementPolicy', () => {
    expect(errorsOf(validateStatefulSet, statefulSet({ podManagementPolicy: 'Random' }))).toEqual([`spec.podManagementPolicy: invalid value "Random": must be 'OrderedReady' or 'Parallel'`]);
  });

  it.each([
    ['OnDelete', { type: 'OnDelete' }],
    ['RollingUpdate with a partition', { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }],
    ['a partition of 0 without a type', { rollingUpdate: { partition: 0 } }],
    ['an empty type', { type: '' }],
  ])('accepts an update strategy of %s', (_name, updateStrategy) => {
    expect(errorsOf(validateStatefulSet, statefulSet({ updateStrategy }))).toEqual([]);
  });

  it.each([
    ['a negative partition', { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }, [`spec.updateStrategy.rollingUpdate.partition: invalid value -1: ${NOT_NEGATIVE}`]],
    ['rollingUpdate with OnDelete, and nothing of its values', { type: 'OnDelete', rollingUpdate: { partition: -1 } }, [`spec.updateStrategy.rollingUpdate: invalid value {"partition":-1}: only allowed for updateStrategy 'RollingUpdate'`]],
    ['an unknown type, naming the strategy', { type: 'BlueGreen' }, [`spec.updateStrategy: invalid value {"type":"BlueGreen"}: must be 'RollingUpdate' or 'OnDelete'`]],
  ])('refuses an update strategy with %s', (_name, updateStrategy, errors) => {
    expect(errorsOf(validateStatefulSet, statefulSet({ updateStrategy }))).toEqual(errors);
  });

  it.each([
    ['Delete and Retain', { whenDeleted: 'Delete', whenScaled: 'Retain' }],
    ['nothing (both Retain)', {}],
    ['an empty value (Retain)', { whenScaled: '' }],
  ])('accepts a claim retention policy of %s', (_name, persistentVolumeClaimRetentionPolicy) => {
    expect(errorsOf(validateStatefulSet, statefulSet({ persistentVolumeClaimRetentionPolicy }))).toEqual([]);
  });

  it('reports in the order of ValidateStatefulSetSpec, with each claim retention field it refuses', () => {
    const spec = { replicas: -1, podManagementPolicy: 'Random', updateStrategy: { type: 'BlueGreen' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Drop' }, selector: {} };
    expect(errorsOf(validateStatefulSet, statefulSet(spec))).toEqual([
      `spec.podManagementPolicy: invalid value "Random": must be 'OrderedReady' or 'Parallel'`,
      `spec.updateStrategy: invalid value {"type":"BlueGreen"}: must be 'RollingUpdate' or 'OnDelete'`,
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: unsupported value "Keep": supported values: "Retain", "Delete"',
      'spec.persistentVolumeClaimRetentionPolicy.whenScaled: unsupported value "Drop": supported values: "Retain", "Delete"',
      `spec.replicas: invalid value -1: ${NOT_NEGATIVE}`,
      'spec.selector: invalid value {}: empty selector is invalid for statefulset',
    ]);
  });

  it('lets a container mount a volume claim template by name, and only a named one', () => {
    const mounting = (claims: Doc[]) => statefulSet({ volumeClaimTemplates: claims, template: template({ containers: [{ ...containers[0], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] }) });
    expect(errorsOf(validateStatefulSet, mounting([claim('data')]))).toEqual([]);
    expect(errorsOf(validateStatefulSet, mounting([claim()]))).toEqual(['spec.template.spec.containers[0].volumeMounts[0].name: not found "data": no volume of the pod is called "data"']);
  });

  it('validates the claim templates at their path, even without a pod template', () => {
    const bad = { metadata: { name: 'data' }, spec: { ...claim().spec, accessModes: [] } };
    expect(errorsOf(validateStatefulSet, statefulSet({ volumeClaimTemplates: [bad], template: undefined }))).toEqual([
      'spec.volumeClaimTemplates[0].spec.accessModes: required value: at least 1 access mode is required',
      'spec.template.metadata.labels: invalid value {}: `selector` does not match template `labels`',
      'spec.template.spec.containers: required value',
    ]);
  });

  it('refuses an empty selector, naming the kind', () => {
    expect(errorsOf(validateStatefulSet, statefulSet({ selector: {} }))).toEqual(['spec.selector: invalid value {}: empty selector is invalid for statefulset']);
  });

  it('refuses activeDeadlineSeconds in the template, naming StatefulSet', () => {
    expect(errorsOf(validateStatefulSet, statefulSet({ template: template({ activeDeadlineSeconds: 60 }) }))).toEqual(['spec.template.spec.activeDeadlineSeconds: forbidden: activeDeadlineSeconds in StatefulSet is not Supported']);
  });
});

describe('Job', () => {
  it('accepts a minimal Job, one without metadata (the name rule is the metadata check), and counts of 0', () => {
    expect(errorsOf(validateJob, job())).toEqual([]);
    expect(errorsOf(validateJob, { spec: jobSpec() })).toEqual([]);
    expect(errorsOf(validateJob, job({ parallelism: 0, completions: 0, activeDeadlineSeconds: 0, backoffLimit: 0, ttlSecondsAfterFinished: 0 }))).toEqual([]);
  });

  it.each(['parallelism', 'completions', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'])('refuses a negative %s', (f) => {
    expect(errorsOf(validateJob, job({ [f]: -1 }))).toEqual([`spec.${f}: invalid value -1: ${NOT_NEGATIVE}`]);
  });

  it('accepts the completion modes, Indexed with completions and parallelism up to 100000', () => {
    expect(errorsOf(validateJob, job({ completionMode: 'NonIndexed' }))).toEqual([]);
    expect(errorsOf(validateJob, job({ completionMode: 'Indexed', completions: 3, parallelism: 100000 }))).toEqual([]);
  });

  it('refuses an unknown completion mode, and an Indexed parallelism above 100000', () => {
    expect(errorsOf(validateJob, job({ completionMode: 'Sometimes' }))).toEqual(['spec.completionMode: unsupported value "Sometimes": supported values: "NonIndexed", "Indexed"']);
    expect(errorsOf(validateJob, job({ completionMode: 'Indexed', completions: 3, parallelism: 100001 }))).toEqual(['spec.parallelism: invalid value 100001: must be less than or equal to 100000 when completion mode is Indexed']);
    expect(errorsOf(validateJob, job({ parallelism: 100001 }))).toEqual([]);
  });

  it('accepts a selector the Job manages itself', () => {
    expect(errorsOf(validateJob, job({ manualSelector: true, selector: { matchLabels: labels } }))).toEqual([]);
  });

  it('refuses Always, and an unset or empty restartPolicy (defaulted to Always), as a missing value; accepts OnFailure', () => {
    const always = 'spec.template.spec.restartPolicy: required value: valid values: "OnFailure", "Never"';
    expect(errorsOf(validateJob, job({ template: template() }))).toEqual([always]);
    expect(errorsOf(validateJob, job({ template: template({ restartPolicy: '' }) }))).toEqual([always]);
    expect(errorsOf(validateJob, job({ template: template({ restartPolicy: 'Always' }) }))).toEqual([always]);
    expect(errorsOf(validateJob, job({ template: template({ restartPolicy: 'OnFailure' }) }))).toEqual([]);
  });

  it('refuses another restartPolicy as unsupported', () => {
    expect(errorsOf(validateJob, job({ template: template({ restartPolicy: 'Sometimes' }) }))).toEqual(['spec.template.spec.restartPolicy: unsupported value "Sometimes": supported values: "OnFailure", "Never"']);
  });

  it('reads a Job without a spec as one with an empty template', () => {
    expect(errorsOf(validateJob, { metadata: { name: 'migrate' } })).toEqual([
      'spec.template.spec.containers: required value',
      'spec.template.spec.restartPolicy: required value: valid values: "OnFailure", "Never"',
    ]);
  });
});
