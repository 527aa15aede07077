/**
 * The input checks of WebService, Worker and Singleton (src/workload/validate.ts), rule by rule:
 * each case builds one workload with one wrong field and expects exactly the lines the synth
 * pipeline reports, `<env>/<platform>/<construct>: <field>: <message>`, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { AppConfig, PlatformChart, Singleton, SingletonProps, WebService, WebServiceProps, Worker, WorkerProps } from '../src';
import { problemsOf, SMALL, testEnv } from './helpers';

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const PROFILE = { replicas: 1, resources: SMALL };
const DATA = { name: 'data', mountPath: '/data', storage: { size: '1Gi' } };

function web(chart: PlatformChart, over: Partial<WebServiceProps> | Record<string, unknown> = {}, id = 'backend'): WebService {
  return new WebService(chart, id, { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', ...over } as WebServiceProps);
}

function worker(chart: PlatformChart, over: Partial<WorkerProps> | Record<string, unknown> = {}, id = 'worker'): Worker {
  return new Worker(chart, id, { image: IMAGE, profile: PROFILE, health: { exec: ['true'] }, ...over } as WorkerProps);
}

function singleton(chart: PlatformChart, over: Partial<SingletonProps> | Record<string, unknown> = {}, id = 'engine'): Singleton {
  return new Singleton(chart, id, { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', ...over } as SingletonProps);
}

/** A singleton `engine` with the given volumes. */
const withVolumes = (volumes: unknown[]) => (c: PlatformChart) => void singleton(c, { volumes });

/** An env like the test env but without object storage. */
const noObjectStorage = testEnv({ objectStorage: undefined });

const PATH = 'is not an HTTP path; it must start with "/" and hold no spaces';
const WHOLE = (min: number, max: number) => `is not allowed; use a whole number from ${min} to ${max}`;
const QUANTITY = 'is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"';
const NOT_A_PORT = 'is not a port; use a whole number from 1 to 65535';

describe('workload input checks', () => {
  // A wrong-typed prop is reported alone: `user: 0` would be reported too if the checks went on.
  it.each([
    ...['uses', 'egress', 'writable', 'config', 'files', 'command', 'args'].map((k) => [k, 'x', `expected a list, got "x"`] as const),
    ['env', ['A'], 'expected an object of names to values, got ["A"]'] as const,
    ...['metrics', 'writableRoot', 'profile'].map((k) => [k, 'x', 'expected an object, got "x"'] as const),
    ['image', 42, 'expected a string, got 42'] as const,
  ])('reports only the wrong type of %s when a prop has the wrong type', (field, value, says) => {
    expect(problemsOf((c) => void web(c, { [field]: value, user: 0 }))).toEqual([`test/demo/backend: ${field}: ${says}`]);
  });

  it('reports only the wrong type of volumes when a singleton volumes prop is not a list', () => {
    expect(problemsOf((c) => void singleton(c, { volumes: 'x', user: 0 }))).toEqual(['test/demo/engine: volumes: expected a list, got "x"']);
  });

  it.each<[string, string, (c: PlatformChart) => void, string[], ReturnType<typeof testEnv>?]>([
    // --- profile ----------------------------------------------------------------------------
    ['requires a profile, and says nothing more of its resources', 'backend', (c) => void web(c, { profile: undefined, image: 'ghcr.io/acme/api:latest' }), ['profile: is missing; give replicas and resources for this env in the overlay', 'image: "ghcr.io/acme/api:latest" uses the tag "latest", which is mutable; pin a version or digest in the test overlay']],
    ['refuses an autoscale of null', 'backend', (c) => void web(c, { profile: { resources: SMALL, autoscale: null } }), ['profile.autoscale: expected { minReplicas, maxReplicas }, got null']],
    ['refuses an autoscale that is not an object', 'backend', (c) => void web(c, { profile: { resources: SMALL, autoscale: 3 } }), ['profile.autoscale: expected { minReplicas, maxReplicas }, got 3']],
    ['refuses an autoscale minReplicas of 0', 'backend', (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 0, maxReplicas: 2 } } }), [`profile.autoscale.minReplicas: 0 ${WHOLE(1, 1000)}`]],
    ['refuses an autoscale maxReplicas over 1000', 'backend', (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 1001 } } }), [`profile.autoscale.maxReplicas: 1001 ${WHOLE(1, 1000)}`]],
    [
      'compares maxReplicas with minReplicas only when both are numbers (a text maxReplicas)', 'backend',
      (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 3, maxReplicas: '2' } } }),
      [`profile.autoscale.maxReplicas: "2" ${WHOLE(1, 1000)}`],
    ],
    [
      'compares maxReplicas with minReplicas only when both are numbers (a text minReplicas)', 'backend',
      (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: '3', maxReplicas: 2 } } }),
      [`profile.autoscale.minReplicas: "3" ${WHOLE(1, 1000)}`],
    ],
    ['refuses a CPU utilization target of 0 %', 'backend', (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 0 } } }), [`profile.autoscale.cpuUtilization: 0 ${WHOLE(1, 100)}`]],
    ['refuses a CPU utilization target over 100 %', 'backend', (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 101 } } }), [`profile.autoscale.cpuUtilization: 101 ${WHOLE(1, 100)}`]],

    // --- user and metrics -------------------------------------------------------------------
    ['refuses uid 0 (root)', 'backend', (c) => void web(c, { user: 0 }), [`user: 0 ${WHOLE(1, 2147483647)}`]],
    ['refuses a metrics port that is not a port', 'backend', (c) => void web(c, { metrics: { port: 0 } }), [`metrics.port: 0 ${NOT_A_PORT}`]],
    ['requires a metrics port on a workload without a port', 'worker', (c) => void worker(c, { metrics: {} }), ['metrics.port: is missing; the workload has no port to scrape']],
    ['refuses a metrics path without a leading slash', 'backend', (c) => void web(c, { metrics: { path: 'metrics' } }), [`metrics.path: "metrics" ${PATH}`]],

    // --- files ------------------------------------------------------------------------------
    ['refuses a relative folder for files', 'backend', (c) => void web(c, { files: [{ path: 'etc/app', config: new AppConfig(c, 'settings', { data: { A: '1' } }) }] }), ['files[0].path: "etc/app" is not an absolute path']],
    ['refuses a folder for files that is not text', 'backend', (c) => void web(c, { files: [{ path: 5, config: new AppConfig(c, 'settings', { data: { A: '1' } }) }] }), ['files[0].path: 5 is not an absolute path']],
    ['refuses files from something that is not an AppConfig', 'backend', (c) => void web(c, { files: [{ path: '/etc/app', config: { name: 'settings' } }] }), ['files[0].config: must be an AppConfig of this platform']],
    ['refuses an empty entry of files, naming both its fields', 'backend', (c) => void web(c, { files: [null] }), ['files[0].path: nothing is not an absolute path', 'files[0].config: must be an AppConfig of this platform']],

    // --- writable root ----------------------------------------------------------------------
    ['requires a writable-root reason of 10 characters or more', 'backend', (c) => void web(c, { writableRoot: { reason: 'too short' } }), ['writableRoot.reason: must say why the image needs a writable root (10 characters or more)']],
    ['counts a writable-root reason without its surrounding spaces', 'backend', (c) => void web(c, { writableRoot: { reason: `    short    ` } }), ['writableRoot.reason: must say why the image needs a writable root (10 characters or more)']],
    ['requires a writable-root reason', 'backend', (c) => void web(c, { writableRoot: {} }), ['writableRoot.reason: must say why the image needs a writable root (10 characters or more)']],

    // --- volumes ----------------------------------------------------------------------------
    ['refuses a volume of null', 'engine', withVolumes([null]), ['volumes[0]: expected { name, mountPath, storage }, got null']],
    ['refuses a volume that is not an object', 'engine', withVolumes(['data']), ['volumes[0]: expected { name, mountPath, storage }, got "data"']],
    ['limits a volume name so that the claim <workload>-<name> has 63 characters at most', 'trading-engine-primary', (c) => void singleton(c, { volumes: [{ ...DATA, name: 'a'.repeat(41) }] }, 'trading-engine-primary'), [`volumes[0].name: "${'a'.repeat(41)}" is 41 characters long; at most 40 are allowed`]],
    ['limits a volume name so that the pod volume volume-<name> has 63 characters at most', 'e', (c) => void singleton(c, { volumes: [{ ...DATA, name: 'a'.repeat(57) }] }, 'e'), [`volumes[0].name: "${'a'.repeat(57)}" is 57 characters long; at most 56 are allowed`]],
    [
      'limits an archived volume name so that its scratch volume volume-<name>-archive has 63 characters at most', 'e',
      (c) => void singleton(c, { volumes: [{ ...DATA, name: 'a'.repeat(49), backupOnStart: { keep: 3, storage: { size: '1Gi' } } }] }, 'e'),
      [`volumes[0].name: "${'a'.repeat(49)}" is 49 characters long; at most 48 are allowed`],
    ],
    ['refuses a relative mount path', 'engine', withVolumes([{ ...DATA, mountPath: 'data' }]), ['volumes[0].mountPath: "data" is not an absolute path']],
    ['refuses a mount path that is not text', 'engine', withVolumes([{ ...DATA, mountPath: 5 }]), ['volumes[0].mountPath: 5 is not an absolute path']],
    ['requires the storage of a volume', 'engine', withVolumes([{ ...DATA, storage: undefined }]), ['volumes[0].storage.size: is missing; give the volume size for this env']],
    ['refuses a storage that is not an object', 'engine', withVolumes([{ ...DATA, storage: '1Gi' }]), ['volumes[0].storage.size: is missing; give the volume size for this env']],
    ['refuses a storage size that is not a quantity', 'engine', withVolumes([{ ...DATA, storage: { size: '20 GB' } }]), [`volumes[0].storage.size: "20 GB" ${QUANTITY}`]],
    ['refuses keeping 0 archives', 'engine', withVolumes([{ ...DATA, backupOnStart: { keep: 0, storage: { size: '1Gi' } } }]), [`volumes[0].backupOnStart.keep: 0 ${WHOLE(1, 1000)}`]],
    ['requires the scratch storage of the archive', 'engine', withVolumes([{ ...DATA, backupOnStart: { keep: 3 } }]), ['volumes[0].backupOnStart.storage.size: is missing']],
    ['refuses a scratch storage that is not an object', 'engine', withVolumes([{ ...DATA, backupOnStart: { keep: 3, storage: '1Gi' } }]), ['volumes[0].backupOnStart.storage.size: is missing']],
    ['refuses a scratch size that is not a quantity', 'engine', withVolumes([{ ...DATA, backupOnStart: { keep: 3, storage: { size: 'lots' } } }]), [`volumes[0].backupOnStart.storage.size: "lots" ${QUANTITY}`]],
    ['refuses a backupOnStart of null, naming its fields', 'engine', withVolumes([{ ...DATA, backupOnStart: null }]), [`volumes[0].backupOnStart.keep: nothing ${WHOLE(1, 1000)}`, 'volumes[0].backupOnStart.storage.size: is missing']],
    [
      'requires object storage in the env for a volume archived on start, among others that are not', 'engine',
      withVolumes([DATA, { ...DATA, name: 'logs', mountPath: '/logs', backupOnStart: { keep: 3, storage: { size: '1Gi' } } }]),
      ['env.objectStorage: is missing; backups go to object storage outside the namespace: set endpoint, region, bucket, prefix, credentials and image'],
      noObjectStorage,
    ],

    // --- egress and uses --------------------------------------------------------------------
    ['refuses an egress rule without ports', 'backend', (c) => void web(c, { egress: [{ description: 'payments API', ports: [] }] }), ['egress: "payments API" needs at least one port']],
    ['refuses a used server of null', 'backend', (c) => void web(c, { uses: [null] }), ['uses[0]: is missing']],
    ['refuses a used server that is not an object', 'backend', (c) => void web(c, { uses: ['db'] }), ['uses[0]: is missing']],
    ['refuses to use a workload without a port', 'backend', (c) => void web(c, { uses: [worker(c)] }), ['uses[0]: "worker" accepts no connections (it has no port)']],
    ['refuses to use an object that is no workload, showing it', 'backend', (c) => void web(c, { uses: [{}] }), ['uses[0]: {} accepts no connections (it has no port)']],
    ['refuses to use a workload of another platform', 'backend', (c) => void web(c, { uses: [web(new PlatformChart(c.node.scope!, 'other', { env: c.env }), {}, 'api')] }), ['uses[0]: "api" belongs to another platform or env']],

    // --- the fields the probes come from ----------------------------------------------------
    ['names health once for a singleton whose health check serves readiness and liveness', 'engine', (c) => void singleton(c, { health: { http: 'healthz' } }), [`health: "healthz" ${PATH}`]],
    ['names liveness for a singleton liveness check', 'engine', (c) => void singleton(c, { liveness: { tcp: 0 } }), [`liveness: 0 ${NOT_A_PORT}`]],
    ['names liveness for a web service liveness check', 'backend', (c) => void web(c, { liveness: { tcp: 0 } }), [`liveness: 0 ${NOT_A_PORT}`]],
  ])('%s', (_rule, construct, build, lines, env) => {
    expect(problemsOf(build, env)).toEqual(lines.map((l) => `test/demo/${construct}: ${l}`));
  });

  it('says nothing of a used workload that reports its own problems', () => {
    const problems = problemsOf((c) => void web(c, { uses: [web(c, { port: 0 }, 'db')] }));
    expect(problems).toEqual([`test/demo/db: port: 0 ${NOT_A_PORT}`]);
  });

  it.each<[string, (c: PlatformChart) => void, ReturnType<typeof testEnv>?]>([
    ['accepts an autoscale whose maxReplicas equals minReplicas', (c) => void web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 2, maxReplicas: 2 } } })],
    ['accepts a writable-root reason of exactly 10 characters', (c) => void web(c, { writableRoot: { reason: 'lock files' } })],
    ['accepts a volume name that makes a claim name of 63 characters', (c) => void singleton(c, { volumes: [{ ...DATA, name: 'a'.repeat(40) }] }, 'trading-engine-primary')],
    ['accepts a volume name that makes a pod volume name of 63 characters', (c) => void singleton(c, { volumes: [{ ...DATA, name: 'a'.repeat(56) }] }, 'e')],
    ['accepts an archived volume name that makes a scratch volume name of 63 characters', (c) => void singleton(c, { volumes: [{ ...DATA, name: 'a'.repeat(48), backupOnStart: { keep: 3, storage: { size: '1Gi' } } }] }, 'e')],
    ['accepts volumes without archives in an env without object storage', withVolumes([DATA]), noObjectStorage],
  ])('%s', (_rule, build, env) => {
    expect(problemsOf(build, env)).toEqual([]);
  });
});
