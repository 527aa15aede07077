import { AppConfig } from '../config';
import { asList, dnsLabel, httpPath, port as portCheck, propShapes, serviceName, show, storageSize, wholeNumber } from '../checks';
import { egressProblems, usesProblems } from '../network';
import { objectStorageProblems } from '../object-storage';
import { containerProblems } from '../pod';
import { PlatformChart } from '../platform-chart';
import { Problems } from '../problems';
import { Shape, WorkloadOptions } from './options';

/**
 * Every problem of a workload's input, field by field. When a prop has the wrong type, only
 * those problems: nothing else may read a wrong-typed prop.
 */
export function workloadProblems(id: string, props: WorkloadOptions, shape: Shape, chart: PlatformChart): Problems {
  const problems = new Problems();
  const shapes = propShapes(props, {
    lists: ['uses', 'egress', 'writable', 'config', 'files', 'command', 'args', 'volumes'],
    records: ['env'],
    objects: ['metrics', 'writableRoot', 'profile'],
    strings: ['image'],
  });
  for (const [f, m] of shapes) problems.check(f, m);
  if (shapes.length > 0) return problems;
  const profile = props.profile;
  problems.check('name', serviceName(id));
  for (const [f, m] of shape.fieldProblems) problems.check(f, m);
  // propShapes has refused a profile that is not an object: here it is one, or missing.
  if (profile === undefined) {
    problems.check('profile', 'is missing; give replicas and resources for this env in the overlay');
  } else {
    if (shape.singleton && profile.replicas !== undefined && profile.replicas !== 1) {
      problems.check('profile.replicas', `a singleton runs exactly one pod (two would act twice, e.g. trade twice); got ${show(profile.replicas)}`);
    } else if (profile.replicas !== undefined) problems.check('profile.replicas', wholeNumber(profile.replicas, 0, 1000));
    if (profile.autoscale !== undefined && (profile.autoscale === null || typeof profile.autoscale !== 'object')) {
      problems.check('profile.autoscale', `expected { minReplicas, maxReplicas }, got ${show(profile.autoscale)}`);
    } else if (profile.autoscale !== undefined) {
      if (shape.singleton) problems.check('profile.autoscale', 'a singleton is never autoscaled; remove autoscale');
      else {
        const a = profile.autoscale;
        problems.check('profile.autoscale.minReplicas', wholeNumber(a.minReplicas, 1, 1000));
        problems.check('profile.autoscale.maxReplicas', wholeNumber(a.maxReplicas, 1, 1000));
        if (typeof a.maxReplicas === 'number' && typeof a.minReplicas === 'number' && a.maxReplicas < a.minReplicas) {
          problems.check('profile.autoscale.maxReplicas', `${a.maxReplicas} is below minReplicas (${a.minReplicas})`);
        }
        if (a.cpuUtilization !== undefined) problems.check('profile.autoscale.cpuUtilization', wholeNumber(a.cpuUtilization, 1, 100));
        if (profile.replicas !== undefined) problems.check('profile.replicas', 'is fixed while autoscale is set; give one or the other');
      }
    }
  }
  if (props.user !== undefined) problems.check('user', wholeNumber(props.user, 1, 2147483647));
  const metricsPort = props.metrics?.port;
  if (props.metrics !== undefined) {
    if (metricsPort !== undefined) problems.check('metrics.port', portCheck(metricsPort));
    if (metricsPort !== undefined && metricsPort === shape.port) problems.check('metrics.port', `${metricsPort} is also the container port (port); leave metrics.port out to scrape that port`);
    if (metricsPort === undefined && shape.port === undefined) problems.check('metrics.port', 'is missing; the workload has no port to scrape');
    if (props.metrics.path !== undefined) problems.check('metrics.path', httpPath(props.metrics.path));
  }
  asList(props.files).forEach((f, i) => {
    if (typeof f?.path !== 'string' || !f.path.startsWith('/')) problems.check(`files[${i}].path`, `${show(f?.path)} is not an absolute path`);
    if (!(f?.config instanceof AppConfig)) problems.check(`files[${i}].config`, 'must be an AppConfig of this platform');
  });
  if (props.writableRoot !== undefined && !(typeof props.writableRoot.reason === 'string' && props.writableRoot.reason.trim().length >= 10)) {
    problems.check('writableRoot.reason', 'must say why the image needs a writable root (10 characters or more)');
  }
  asList(shape.volumes).forEach((v, i) => {
    if (v === null || typeof v !== 'object') return problems.check(`volumes[${i}]`, `expected { name, mountPath, storage }, got ${show(v)}`);
    // The names made from it are DNS labels of 63 characters: the claim `<workload>-<name>`, the pod
    // volume `volume-<name>` and, when archived, its scratch volume `volume-<name>-archive`.
    const volumeName = 63 - 'volume-'.length - (v.backupOnStart !== undefined ? '-archive'.length : 0);
    problems.check(`volumes[${i}].name`, dnsLabel(v.name, Math.max(1, Math.min(62 - id.length, volumeName))));
    if (typeof v.mountPath !== 'string' || !v.mountPath.startsWith('/')) problems.check(`volumes[${i}].mountPath`, `${show(v.mountPath)} is not an absolute path`);
    problems.check(`volumes[${i}].storage.size`, v.storage && typeof v.storage === 'object' ? storageSize(v.storage.size) : 'is missing; give the volume size for this env');
    if (v.backupOnStart !== undefined) {
      problems.check(`volumes[${i}].backupOnStart.keep`, wholeNumber(v.backupOnStart?.keep, 1, 1000));
      problems.check(`volumes[${i}].backupOnStart.storage.size`, v.backupOnStart?.storage && typeof v.backupOnStart.storage === 'object' ? storageSize(v.backupOnStart.storage.size) : 'is missing');
    }
  });
  if (asList(shape.volumes).some((v) => v?.backupOnStart !== undefined)) {
    for (const [f, m] of objectStorageProblems(chart.env.objectStorage, chart.pinnedImages, chart.env.name)) problems.check(f, m);
  }
  problems.checkAll('egress', egressProblems(props.egress));
  const checked = {
    ...props,
    writableRoot: props.writableRoot !== undefined,
    ports: [shape.port, metricsPort].filter((p) => p !== undefined).map((p) => ({ name: 'port', containerPort: p as number })),
    readiness: shape.readiness,
    liveness: shape.liveness,
    probeFields: shape.probeFields,
  };
  for (const [f, m] of containerProblems({ ...checked, resources: profile?.resources }, chart.pinnedImages, chart.env.name, 'profile.resources')) {
    // Without a profile, "profile is missing" says it all; do not repeat it for resources.
    if (profile !== undefined || !f.startsWith('profile.resources')) problems.check(f, m);
  }
  for (const [f, m] of usesProblems(props.uses, chart)) problems.check(f, m);
  return problems;
}
