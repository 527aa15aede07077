/**
 * Deployment, StatefulSet (`pkg/apis/apps/validation`: ValidateDeployment, ValidateDeploymentSpec,
 * ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, ValidateStatefulSet,
 * ValidateStatefulSetSpec, ValidatePodTemplateSpecForReplicaSet/ForStatefulSet) and Job, CronJob
 * (`pkg/apis/batch/validation`: ValidateJob, ValidateJobSpec, ValidateCronJobCreate,
 * ValidateCronJobSpec, validateScheduleFormat, validateTimeZone), Kubernetes 1.27.
 */
import { timeZone as ianaZone } from '../checks';
import { neverFires, parseSchedule } from './cron';
import { child, Errors, list, obj } from './field';
import { isValidLabelValue, selectorIsEmpty, selectorMatches, validateLabelSelector } from './meta';
import { validatePodTemplate, Warn } from './pod';
import { validatePvcSpec } from './core';

const nonNegative = (doc: Record<string, any>, path: string, errs: Errors) => {
  const v = path.split('.').reduce<any>((o, k) => o?.[k], doc);
  if (v !== undefined && v < 0) errs.invalid(path, v, 'must be greater than or equal to 0');
};

const PERCENT = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent (+ IsNotMoreThan100Percent where asked); returns the value as a number or percent. */
export function intOrPercent(v: unknown, path: string, errs: Errors, max100 = false): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') {
    if (!PERCENT.test(v)) {
      errs.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')");
      return undefined;
    }
    const n = Number(v.slice(0, -1));
    if (max100 && n > 100) errs.invalid(path, v, 'must not be greater than 100%');
    return n;
  }
  if (typeof v === 'number' && v < 0) errs.invalid(path, v, 'must be greater than or equal to 0');
  return typeof v === 'number' ? v : undefined;
}

/** The selector rules shared by Deployment and StatefulSet: required, non-empty, matching the template. */
function selectorAndTemplate(spec: Record<string, any>, kind: string, errs: Errors, warn: Warn, extraVolumes: string[] = []): void {
  if (spec.selector === undefined) errs.required('spec.selector');
  else {
    validateLabelSelector(spec.selector, 'spec.selector', errs);
    if (selectorIsEmpty(spec.selector)) errs.invalid('spec.selector', spec.selector, `empty selector is invalid for ${kind}`);
    else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) errs.invalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`');
  }
  const template = extraVolumes.length > 0
    ? { ...spec.template, spec: { ...spec.template?.spec, volumes: [...list(spec.template?.spec?.volumes), ...extraVolumes.map((name) => ({ name, persistentVolumeClaim: { claimName: name } }))] } }
    : spec.template;
  validatePodTemplate(template, 'spec.template', errs, warn);
  const restart = spec.template?.spec?.restartPolicy ?? 'Always';
  if (restart !== 'Always') errs.notSupported('spec.template.spec.restartPolicy', restart, ['Always']);
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) errs.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind === 'deployment' ? 'ReplicaSet' : 'StatefulSet'} is not Supported`);
}

/** ValidateDeploymentSpec. */
export function validateDeployment(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const spec = obj(doc.spec);
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']) nonNegative(doc, `spec.${f}`, errs);
  selectorAndTemplate(spec, 'deployment', errs, warn);
  const strategy = obj(spec.strategy);
  const type = strategy.type ?? 'RollingUpdate';
  if (!['Recreate', 'RollingUpdate'].includes(type)) errs.notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']);
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined) errs.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'");
  if (type === 'RollingUpdate') {
    const ru = obj(strategy.rollingUpdate);
    const unavailable = intOrPercent(ru.maxUnavailable ?? '25%', 'spec.strategy.rollingUpdate.maxUnavailable', errs, true);
    const surge = intOrPercent(ru.maxSurge ?? '25%', 'spec.strategy.rollingUpdate.maxSurge', errs);
    if (unavailable === 0 && surge === 0) errs.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0');
  }
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    errs.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds');
  }
}

/** ValidateStatefulSetSpec; the claim templates count as volumes of the pod, as the controller adds them. */
export function validateStatefulSet(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const spec = obj(doc.spec);
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit']) nonNegative(doc, `spec.${f}`, errs);
  const policy = spec.podManagementPolicy ?? 'OrderedReady';
  if (!['OrderedReady', 'Parallel'].includes(policy)) errs.notSupported('spec.podManagementPolicy', policy, ['OrderedReady', 'Parallel']);
  const update = obj(spec.updateStrategy);
  const type = update.type ?? 'RollingUpdate';
  if (!['OnDelete', 'RollingUpdate'].includes(type)) errs.notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']);
  if (type === 'OnDelete' && update.rollingUpdate !== undefined) errs.invalid('spec.updateStrategy.rollingUpdate', update.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'");
  if (update.rollingUpdate?.partition !== undefined && update.rollingUpdate.partition < 0) errs.invalid('spec.updateStrategy.rollingUpdate.partition', update.rollingUpdate.partition, 'must be greater than or equal to 0');
  const claims = list(spec.volumeClaimTemplates);
  claims.forEach((c, i) => validatePvcSpec(c?.spec, `spec.volumeClaimTemplates[${i}].spec`, errs));
  selectorAndTemplate(spec, 'statefulset', errs, warn, claims.map((c) => c?.metadata?.name).filter((n): n is string => typeof n === 'string'));
}

const COMPLETION_MODES = ['Indexed', 'NonIndexed'];

/** ValidateJobSpec (also for a CronJob's job template, at `path`). */
function validateJobSpec(specIn: unknown, path: string, errs: Errors, warn: Warn): void {
  const spec = obj(specIn);
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    if (spec[f] !== undefined && spec[f] < 0) errs.invalid(child(path, f), spec[f], 'must be greater than or equal to 0');
  }
  if (spec.completionMode !== undefined && !COMPLETION_MODES.includes(spec.completionMode)) errs.notSupported(child(path, 'completionMode'), spec.completionMode, COMPLETION_MODES);
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) errs.required(child(path, 'completions'), "when completion mode is 'Indexed'");
  if (spec.selector !== undefined && spec.manualSelector !== true) errs.invalid(child(path, 'selector'), spec.selector, '`selector` will be auto-generated');
  validatePodTemplate(spec.template, child(path, 'template'), errs, warn);
  const restart = spec.template?.spec?.restartPolicy ?? 'Always';
  if (!['OnFailure', 'Never'].includes(restart)) errs.notSupported(child(path, 'template.spec.restartPolicy'), restart, ['OnFailure', 'Never']);
}

/** ValidateJob: the Job's name becomes the value of its pods' `job-name` label, so it must be one. */
export function validateJob(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const name = String(doc.metadata?.name ?? '');
  errs.each('metadata.name', name, isValidLabelValue(name).map((m) => `${m} (the Job's pods carry it as their job-name label)`));
  validateJobSpec(doc.spec, 'spec', errs, warn);
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];

/** ValidateCronJobCreate and ValidateCronJobSpec. */
export function validateCronJob(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const name = String(doc.metadata?.name ?? '');
  if (name.length > 52) errs.invalid('metadata.name', name, 'must be no more than 52 characters');
  const spec = obj(doc.spec);
  if (!spec.schedule) errs.required('spec.schedule');
  else {
    const parsed = parseSchedule(String(spec.schedule));
    if ('error' in parsed) errs.invalid('spec.schedule', spec.schedule, parsed.error);
    else if (neverFires(parsed)) warn('spec.schedule', `"${spec.schedule}" never fires: no month it names has the days of month it names`);
    if (String(spec.schedule).includes('TZ')) errs.invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  }
  if (spec.timeZone !== undefined) validateTimeZone(spec.timeZone, errs);
  // concurrencyPolicy defaults to Allow before validation.
  if (spec.concurrencyPolicy !== undefined && !CONCURRENCY.includes(spec.concurrencyPolicy)) errs.notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY);
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) nonNegative(doc, `spec.${f}`, errs);
  const template = obj(spec.jobTemplate);
  validateJobSpec(template.spec, 'spec.jobTemplate.spec', errs, warn);
}

/** validateTimeZone. */
function validateTimeZone(tz: unknown, errs: Errors): void {
  const zone = String(tz);
  if (zone.length === 0) return errs.invalid('spec.timeZone', zone, 'timeZone must be nil or non-empty string');
  if (zone.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(p))) return errs.invalid('spec.timeZone', zone, `unknown time zone ${zone}`);
  if (zone.toLowerCase() === 'local') return errs.invalid('spec.timeZone', zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  if (ianaZone(zone) !== undefined) errs.invalid('spec.timeZone', zone, `unknown time zone ${zone}`);
}
