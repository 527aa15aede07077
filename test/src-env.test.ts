/**
 * The env and what hangs off it at the top of src/: the testing entry point a platform repo's
 * tests use, the env's production checks, BackupCronJob's checks and objects, and the StatefulSet
 * and Service every stateful store renders.
 */
import { describe, expect, it } from 'vitest';
import { BackupCronJob, environmentSchema } from '../src';
import type { Rendered, RenderedObject } from '../src';
import { inputProblems } from '../src/schema';
import { filesUnder, findObject, hardeningGaps, problemsOf, servicesWithoutPods, testEnv } from '../src/testing';
import { AUTH, backup, chartIn, find, postgres, problemsIn, prodTestEnv, SMALL } from './helpers';

const at = (doc: Record<string, any>, env = 'test', platform = 'p'): RenderedObject => ({ env, platform, path: `${env}/${platform}/${doc.metadata?.name}`, doc });
const deployment = (name: string, env?: string, platform?: string) => at({ kind: 'Deployment', metadata: { name }, spec: {} }, env, platform);

describe('testing: problemsOf', () => {
  it('reports a build that crashes as one problem marked as a bug', () => {
    const crash = () => {
      throw new Error('typo in the build');
    };
    expect(problemsOf('p', crash)).toEqual(['test/p: unexpected error (a bug in the chart or the library; DEBUG=1 shows where): typo in the build']);
  });

  it('throws an error of its caller (no env at all) instead of returning no problems', () => {
    expect(() => problemsOf('p', () => {}, null as any)).toThrow(TypeError);
  });
});

describe('testing: findObject', () => {
  it('picks the object of one env and one platform when the same name is in several', () => {
    const objects = [deployment('api', 'test', 'p'), deployment('api', 'prod', 'p'), deployment('api', 'prod', 'q')];
    expect(findObject(objects, 'Deployment', 'api', 'prod', 'q')).toBe(objects[2].doc);
    expect(findObject(objects, 'Deployment', 'api', 'test')).toBe(objects[0].doc);
    expect(findObject([objects[1], objects[2]], 'Deployment', 'api', undefined, 'p')).toBe(objects[1].doc);
  });

  it('reads past documents without metadata', () => {
    const objects = [at({ kind: 'Deployment' }), deployment('api')];
    expect(findObject(objects, 'Deployment', 'api')).toBe(objects[1].doc);
  });

  it('throws when there is not exactly one, saying what it looked for and how many it found', () => {
    const objects = [deployment('api', 'prod', 'p'), deployment('api', 'prod', 'p')];
    expect(() => findObject(objects, 'Deployment', 'api', 'prod', 'p')).toThrow('expected one Deployment "api" in prod/p, found 2');
    expect(() => findObject(objects, 'Deployment', 'api', 'test')).toThrow('expected one Deployment "api" in test, found 0');
    expect(() => findObject(objects, 'Service', 'api')).toThrow(/^expected one Service "api", found 0$/);
  });
});

describe('testing: hardeningGaps', () => {
  const pod = (securityContext: any, containerContext?: any) => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...securityContext },
    containers: [
      {
        name: 'app',
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        ...(containerContext ? { securityContext: containerContext } : {}),
      },
    ],
  });
  const hardenedContainer = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

  it('counts a runAsUser of 0 (root) as no user set', () => {
    expect(hardeningGaps(pod({ runAsUser: 0 }, hardenedContainer))).toEqual(['app runs as uid 0', 'pod does not set a non-zero runAsUser']);
    expect(hardeningGaps(pod({ runAsUser: 1 }, hardenedContainer))).toEqual([]);
  });

  it('names a container that does not set runAsNonRoot itself, with or without a securityContext', () => {
    expect(hardeningGaps(pod({ runAsUser: 1 }, { ...hardenedContainer, runAsNonRoot: undefined }))).toEqual(['app does not set runAsNonRoot itself']);
    expect(hardeningGaps(pod({ runAsUser: 1 }))).toContain('app does not set runAsNonRoot itself');
  });
});

describe('testing: servicesWithoutPods', () => {
  it('skips a Service that selects nothing by design (no spec, or no selector)', () => {
    const objects = [at({ kind: 'Service', metadata: { name: 'bare' } }), at({ kind: 'Service', metadata: { name: 'external' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } })];
    expect(servicesWithoutPods(objects)).toEqual([]);
  });
});

describe('testing: filesUnder', () => {
  const rendered = (paths: string[]) => ({ files: new Map(paths.map((p) => [p, `content of ${p}`])) }) as unknown as Rendered;

  it('returns the files of one folder, with or without its trailing slash, and not those of a folder whose name it starts', () => {
    const r = rendered(['test/p/api.yaml', 'test/p/db.yaml', 'test/pq/api.yaml', 'prod/p/api.yaml']);
    const expected = { 'test/p/api.yaml': 'content of test/p/api.yaml', 'test/p/db.yaml': 'content of test/p/db.yaml' };
    expect(filesUnder(r, 'test/p')).toEqual(expected);
    expect(filesUnder(r, 'test/p/')).toEqual(expected);
    expect(filesUnder(r, 'staging')).toEqual({});
  });
});

describe('BackupCronJob checks', () => {
  it('names the id when it is no DNS label', () => {
    const chart = chartIn();
    backup(chart, {}, 'Db_Backup');
    expect(problemsIn(chart)).toEqual([expect.stringMatching(/^demo\/Db_Backup: name: "Db_Backup" /)]);
  });

  it('refuses a missing storage size, whether storage is missing, null or has no size', () => {
    for (const storage of [undefined, null, {}]) {
      const chart = chartIn();
      backup(chart, { storage: storage as any });
      expect(problemsIn(chart), String(storage)).toEqual(['demo/backup: storage.size: is missing; give the size of the volume a dump is written to']);
    }
  });

  it('reports a size that is no quantity once, not also as not greater than zero', () => {
    const chart = chartIn();
    backup(chart, { storage: { size: '20 GB' } });
    expect(problemsIn(chart)).toEqual(['demo/backup: storage.size: "20 GB" is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"']);
  });

  it('refuses a database that is no Postgres of the platform, or none at all', () => {
    for (const database of [undefined, { host: 'db', image: 'postgres:16.4' }]) {
      const chart = chartIn();
      new BackupCronJob(chart, 'backup', { database: database as any, keepDays: 7, storage: { size: '5Gi' }, resources: SMALL });
      expect(problemsIn(chart)).toEqual(['demo/backup: database: must be a Postgres of this platform']);
    }
  });

  it('leaves a bad database image to the database, which reports it once', () => {
    const chart = chartIn();
    const database = postgres(chart, { image: 'postgres:latest' });
    new BackupCronJob(chart, 'backup', { database, keepDays: 7, storage: { size: '5Gi' }, resources: SMALL });
    const problems = problemsIn(chart);
    expect(problems).toEqual([expect.stringMatching(/^demo\/db: image: /)]);
  });
});

describe('BackupCronJob objects', () => {
  it('labels the CronJob, its Jobs, their pods and the dump volume as the backup component of its name', () => {
    const chart = chartIn();
    backup(chart, {}, 'db-backup');
    const cj = find(chart, 'CronJob', 'db-backup');
    const labels = { 'app.kubernetes.io/name': 'db-backup', 'app.kubernetes.io/part-of': 'demo', 'app.kubernetes.io/component': 'backup', 'app.kubernetes.io/managed-by': expect.any(String) };
    expect(cj.metadata.labels).toEqual(labels);
    expect(cj.spec.jobTemplate.metadata.labels).toEqual(labels);
    expect(cj.spec.jobTemplate.spec.template.metadata.labels).toEqual(labels);
    const scratch = cj.spec.jobTemplate.spec.template.spec.volumes.find((v: any) => v.name === 'backup');
    expect(scratch.ephemeral.volumeClaimTemplate.metadata.labels).toEqual(labels);
  });
});

describe('stateful stores', () => {
  it('update in place, keep their volumes when deleted or scaled down, and label the headless Service as their component', () => {
    const chart = chartIn();
    postgres(chart);
    const sts = find(chart, 'StatefulSet', 'db');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const svc = find(chart, 'Service', 'db');
    expect(svc.metadata.labels).toEqual(sts.metadata.labels);
    expect(svc.metadata.labels['app.kubernetes.io/component']).toBe('database');
  });
});

describe('env: production checks', () => {
  const problems = (env: unknown) => inputProblems(environmentSchema, env, 'prod', ['env']);

  it('accepts the production test env', () => {
    expect(problems(prodTestEnv())).toEqual([]);
  });

  it('refuses requirePinnedImages: false, saying prod runs only pinned images', () => {
    expect(problems(prodTestEnv({ requirePinnedImages: false }))).toEqual(['prod: env.requirePinnedImages: false is not allowed in a production env: prod runs only pinned images']);
  });

  it('wants a digest waiver\'s reason of 10 characters or more, not counting spaces around it', () => {
    const waive = (reason: string) => problems(prodTestEnv({ imageDigestWaivers: { 'ghcr.io/acme/api:1.2.3': reason } }));
    expect(waive('0123456789')).toEqual([]);
    for (const reason of ['012345678', '   012345678   ']) {
      expect(waive(reason), reason).toEqual([
        'prod: env.imageDigestWaivers["ghcr.io/acme/api:1.2.3"]: the reason for running "ghcr.io/acme/api:1.2.3" without a digest must say why, in 10 characters or more',
      ]);
    }
  });

  it('refuses a waiver of a reference that already has a digest, and passes one that is no image reference to the image checks', () => {
    const pinned = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;
    expect(problems(prodTestEnv({ imageDigestWaivers: { [pinned]: 'vendor image, no digest published' } }))).toEqual([
      `prod: env.imageDigestWaivers["${pinned}"]: "${pinned}" already carries a digest; waive only a reference without one`,
    ]);
    expect(() => problems(prodTestEnv({ imageDigestWaivers: { 'Not An Image': 'vendor image, no digest published' } }))).not.toThrow();
  });

  it('wants the ingress controller\'s pod labels', () => {
    const env = prodTestEnv();
    expect(problems({ ...env, ingress: { ...env.ingress, controllerPodLabels: undefined } })).toEqual([
      'prod: env.ingress.controllerPodLabels: required in a production env: name the ingress controller pods, so NetworkPolicies admit no other pod of its namespace',
    ]);
  });

  it('wants at least 2 sign-in proxies, the default', () => {
    const env = prodTestEnv();
    const withReplicas = (replicas?: number) => problems({ ...env, ingress: { ...env.ingress, auth: { ...AUTH, ...(replicas === undefined ? {} : { replicas }) } } });
    expect(withReplicas()).toEqual([]);
    expect(withReplicas(2)).toEqual([]);
    expect(withReplicas(1)).toEqual([expect.stringMatching(/^prod: env\.ingress\.auth\.replicas: 1 is too few in a production env: /)]);
  });

  it('wants the Prometheus pods\' labels when monitoring is on', () => {
    const env = prodTestEnv({ monitoring: { namespace: 'monitoring', prometheusUrl: 'http://prometheus.monitoring.svc:9090', prometheusPort: 9090 } });
    expect(problems(env)).toEqual(['prod: env.monitoring.podLabels: required in a production env: name the Prometheus pods, so NetworkPolicies admit no other pod of its namespace']);
  });
});

describe('env: settings of what lies outside the platform', () => {
  const problems = (env: unknown) => inputProblems(environmentSchema, env, 'test', ['env']);

  it('takes either kind of External Secrets store, and no other', () => {
    for (const kind of ['ClusterSecretStore', 'SecretStore']) {
      expect(problems(testEnv({ externalSecrets: { store: { kind, name: 'vault' }, path: 'trading/test' } } as never)), kind).toEqual([]);
    }
    expect(problems(testEnv({ externalSecrets: { store: { kind: 'Vault', name: 'vault' }, path: 'trading/test' } } as never))).toEqual([
      expect.stringMatching(/^test: env\.externalSecrets\.store\.kind: /),
    ]);
  });

  it('takes an object storage egress to address ranges or to pods of a namespace', () => {
    const storage = testEnv().objectStorage!;
    const ranges = { description: 'object storage (MinIO)', ports: [9000], cidrs: ['192.0.2.10/32'] };
    const pods = { description: 'object storage (MinIO)', ports: [9000], namespace: 'minio', podLabels: { app: 'minio' } };
    for (const egress of [ranges, pods]) expect(problems(testEnv({ objectStorage: { ...storage, egress } })), JSON.stringify(egress)).toEqual([]);
  });
});

