/**
 * Deployment, StatefulSet (`pkg/apis/apps/validation`: ValidateDeployment, ValidateDeploymentSpec,
 * ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, ValidateStatefulSet,
 * ValidateStatefulSetSpec, ValidatePodTemplateSpecForReplicaSet/ForStatefulSet) and Job, CronJob
 * (`pkg/apis/batch/validation`: ValidateJob, ValidateJobSpec, ValidateCronJobCreate,
 * ValidateCronJobSpec, validateScheduleFormat, validateTimeZone), Kubernetes 1.27.
 */
import { timeZone as ianaZone } from '../checks';
import { parseSchedule, whyNeverFires } from './cron';
import { child, Errors, list, obj } from './field';
import { isValidLabelValue, selectorIsEmpty, selectorMatches, validateLabelSelector } from './meta';
import { validatePodTemplate, Warn } from './pod';
import { validatePvcSpec } from './core';

/** ValidateNonnegativeField of each of `fields` of `spec` that is set. */
function nonNegative(spec: Record<string, any>, path: string, fields: readonly string[], errs: Errors): void {
  for (const f of fields) if (spec[f] < 0) errs.invalid(child(path, f), spec[f], 'must be greater than or equal to 0');
}

const PERCENT = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent (+ IsNotMoreThan100Percent where asked); returns the value as getIntOrPercentValue reads it. */
export function intOrPercent(v: unknown, path: string, errs: Errors, max100 = false): number | undefined {
  if (typeof v === 'string') {
    if (!PERCENT.test(v)) {
      errs.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')");
      return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0; // getIntOrPercentValue: IntOrString.IntValue, strconv.Atoi or 0
    }
    const n = Number(v.slice(0, -1));
    if (max100 && n > 100) errs.invalid(path, v, 'must not be greater than 100%');
    return n;
  }
  // Else a number, or absent (another type is the schema check's to report).
  if ((v as number) < 0) errs.invalid(path, v, 'must be greater than or equal to 0');
  return v as number | undefined;
}

/** The selector rules shared by Deployment and StatefulSet: required, non-empty, matching the template. */
function selectorAndTemplate(spec: Record<string, any>, kind: string, errs: Errors, warn: Warn, extraVolumes: string[] = []): void {
  if (spec.selector === undefined) errs.required('spec.selector');
  else {
    validateLabelSelector(spec.selector, 'spec.selector', errs);
    if (selectorIsEmpty(spec.selector)) errs.invalid('spec.selector', spec.selector, `empty selector is invalid for ${kind}`);
  }
  // LabelSelectorAsSelector: no selector selects nothing (an empty one selects everything).
  const labels = spec.template?.metadata?.labels;
  const matches = spec.selector !== undefined && selectorMatches(spec.selector, labels);
  if (!matches) errs.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`');
  const volumes = [...list(spec.template?.spec?.volumes), ...extraVolumes.map((name) => ({ name, persistentVolumeClaim: { claimName: name } }))];
  validatePodTemplate({ ...spec.template, spec: { ...spec.template?.spec, volumes } }, 'spec.template', errs, warn);
  // The API server defaults an unset or empty restartPolicy to Always before it validates.
  const restart = spec.template?.spec?.restartPolicy || 'Always';
  if (restart !== 'Always') errs.notSupported('spec.template.spec.restartPolicy', restart, ['Always']);
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) errs.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind === 'deployment' ? 'ReplicaSet' : 'StatefulSet'} is not Supported`);
}

/** ValidateDeploymentSpec, its errors in its order. */
export function validateDeployment(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const spec = obj(doc.spec);
  nonNegative(spec, 'spec', ['replicas'], errs);
  selectorAndTemplate(spec, 'deployment', errs, warn);
  // ValidateDeploymentStrategy, after SetDefaults_Deployment (an unset or empty type is RollingUpdate).
  const strategy = obj(spec.strategy);
  const type = strategy.type || 'RollingUpdate';
  if (!['Recreate', 'RollingUpdate'].includes(type)) errs.notSupported('spec.strategy', spec.strategy, ['Recreate', 'RollingUpdate']);
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined) errs.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'");
  if (type === 'RollingUpdate') {
    const ru = obj(strategy.rollingUpdate);
    const unavailable = intOrPercent(ru.maxUnavailable ?? '25%', 'spec.strategy.rollingUpdate.maxUnavailable', errs, true);
    const surge = intOrPercent(ru.maxSurge ?? '25%', 'spec.strategy.rollingUpdate.maxSurge', errs);
    if (unavailable === 0 && surge === 0) errs.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0');
  }
  nonNegative(spec, 'spec', ['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'], errs);
  // (an unset progressDeadlineSeconds compares false)
  if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    errs.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds');
  }
}

const RETENTION = ['Retain', 'Delete'];

/**
 * ValidateStatefulSetSpec, its errors in its order; the claim templates count as volumes of the
 * pod, as the controller adds them. Empty or unset policies and types are defaulted
 * (SetDefaults_StatefulSet) before validation.
 */
export function validateStatefulSet(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const spec = obj(doc.spec);
  const policy = spec.podManagementPolicy || 'OrderedReady';
  if (!['OrderedReady', 'Parallel'].includes(policy)) errs.invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'");
  const update = obj(spec.updateStrategy);
  const type = update.type || 'RollingUpdate';
  if (type === 'OnDelete') {
    if (update.rollingUpdate !== undefined) errs.invalid('spec.updateStrategy.rollingUpdate', update.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'");
  } else if (type === 'RollingUpdate') nonNegative(obj(update.rollingUpdate), 'spec.updateStrategy.rollingUpdate', ['partition'], errs);
  else errs.invalid('spec.updateStrategy', spec.updateStrategy, "must be 'RollingUpdate' or 'OnDelete'");
  for (const f of ['whenDeleted', 'whenScaled']) {
    const v = obj(spec.persistentVolumeClaimRetentionPolicy)[f] || 'Retain';
    if (!RETENTION.includes(v)) errs.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, RETENTION);
  }
  // (revisionHistoryLimit is not validated for a StatefulSet)
  nonNegative(spec, 'spec', ['replicas', 'minReadySeconds'], errs);
  const claims = list(spec.volumeClaimTemplates).map(obj);
  claims.forEach((c, i) => validatePvcSpec(c.spec, `spec.volumeClaimTemplates[${i}].spec`, errs));
  selectorAndTemplate(spec, 'statefulset', errs, warn, claims.map((c) => c.metadata?.name).filter((n): n is string => typeof n === 'string'));
}

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const MAX_INDEXED_PARALLELISM = 100000;

/** validateJobSpec (also for a CronJob's job template, at `path`). */
function validateJobSpec(spec: Record<string, any>, path: string, errs: Errors, warn: Warn): void {
  nonNegative(spec, path, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'], errs);
  if (spec.completionMode !== undefined && !COMPLETION_MODES.includes(spec.completionMode)) errs.notSupported(child(path, 'completionMode'), spec.completionMode, COMPLETION_MODES);
  if (spec.completionMode === 'Indexed') {
    if (spec.completions === undefined) errs.required(child(path, 'completions'), 'when completion mode is Indexed');
    if (spec.parallelism > MAX_INDEXED_PARALLELISM) errs.invalid(child(path, 'parallelism'), spec.parallelism, `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`);
  }
  validatePodTemplate(spec.template, child(path, 'template'), errs, warn);
  // An unset or empty restartPolicy is defaulted to Always, which is refused as a missing value.
  const restart = spec.template?.spec?.restartPolicy || 'Always';
  if (restart === 'Always') errs.required(child(path, 'template.spec.restartPolicy'), 'valid values: "OnFailure", "Never"');
  else if (!['OnFailure', 'Never'].includes(restart)) errs.notSupported(child(path, 'template.spec.restartPolicy'), restart, ['OnFailure', 'Never']);
}

/** ValidateJob: the Job's name becomes the value of its pods' `job-name` label, so it must be one. */
export function validateJob(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const name = String(doc.metadata?.name ?? '');
  errs.each('metadata.name', name, isValidLabelValue(name).map((m) => `${m} (the Job's pods carry it as their job-name label)`));
  const spec = obj(doc.spec);
  validateJobSpec(spec, 'spec', errs, warn);
  if (spec.selector !== undefined && spec.manualSelector !== true) errs.invalid('spec.selector', spec.selector, '`selector` will be auto-generated');
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];

/** ValidateCronJobCreate (validateCronJobSpec, then the name's length), its errors in its order. */
export function validateCronJob(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const spec = obj(doc.spec);
  if (!spec.schedule) errs.required('spec.schedule');
  else {
    const parsed = parseSchedule(String(spec.schedule));
    const never = whyNeverFires(parsed);
    if ('error' in parsed) errs.invalid('spec.schedule', spec.schedule, parsed.error);
    else if (never) warn('spec.schedule', `"${spec.schedule}" never fires: ${never}`);
    if (String(spec.schedule).includes('TZ')) errs.invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  }
  nonNegative(spec, 'spec', ['startingDeadlineSeconds'], errs);
  if (spec.timeZone !== undefined) validateTimeZone(spec.timeZone, errs);
  // An unset or empty concurrencyPolicy is defaulted to Allow before validation.
  const concurrency = spec.concurrencyPolicy || 'Allow';
  if (!CONCURRENCY.includes(concurrency)) errs.notSupported('spec.concurrencyPolicy', concurrency, CONCURRENCY);
  // ValidateJobTemplateSpec: the selector is always generated.
  const job = obj(obj(spec.jobTemplate).spec);
  validateJobSpec(job, 'spec.jobTemplate.spec', errs, warn);
  if (job.selector !== undefined) errs.invalid('spec.jobTemplate.spec.selector', job.selector, '`selector` will be auto-generated');
  if (job.manualSelector === true) errs.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']);
  nonNegative(spec, 'spec', ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], errs);
  const name = doc.metadata?.name;
  if (name?.length > 52) errs.invalid('metadata.name', name, 'must be no more than 52 characters');
}

/** validateTimeZone. */
function validateTimeZone(tz: unknown, errs: Errors): void {
  const zone = String(tz);
  if (zone.length === 0) return errs.invalid('spec.timeZone', zone, 'timeZone must be nil or non-empty string');
  if (zone.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(p))) return errs.invalid('spec.timeZone', zone, `unknown time zone ${zone}`);
  if (zone.toLowerCase() === 'local') errs.invalid('spec.timeZone', zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  // time.LoadLocation: "Local" is the API server's own zone, any other spelling a tz database name.
  if (zone !== 'Local' && ianaZone(zone) !== undefined) errs.invalid('spec.timeZone', zone, `unknown time zone ${zone}`);
}
