/**
 * The stores and settings at the top of src/: the env's object storage settings and what backups
 * run with, PostgreSQL, Redis, ConfigMaps, env vars and ServiceMonitors. Each case builds its
 * constructs in a chart of its own, without the synth pipeline: what the constructs render, and
 * the problems they report (one `field: message` line each).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AppConfig, Environment, PlatformChart, Postgres, Redis, secretKey } from '../src';
import { contentHash, envProblems, renderEnv } from '../src/config';
import { renderServiceMonitor } from '../src/monitoring';
import { archiveScript, backupPrefix, DUMP_SCRIPT, objectStorageEgress, objectStorageProblems, rcloneEnv, uploadScript } from '../src/object-storage';
import type { ObjectStorageSettings } from '../src/object-storage';
import { REDIS_CONFIG, REDIS_PASSWORD_FILE, REDIS_PING, redisStart } from '../src/redis';
import { kubeExpand, sh } from './backup-tools';
import { SMALL, testEnv } from './helpers';

const PG_IMAGE = 'postgres:16.4';
const REDIS_IMAGE = 'redis:7.4.1-alpine';

/** A platform chart `demo` in `env`, outside the synth pipeline. */
function chartIn(env: Environment = testEnv()): PlatformChart {
  return new PlatformChart(new App(), 'demo', { env });
}

/** The rendered document of `kind` called `name` in a chart; fails unless there is exactly one. */
function docOf(chart: PlatformChart, kind: string, name: string): any {
  const found = chart.toJson().filter((d: any) => d.kind === kind && d.metadata.name === name);
  expect(found, `${kind}/${name}`).toHaveLength(1);
  return found[0];
}

/** Kinds of the objects a construct rendered below itself. */
function kindsUnder(c: Construct): string[] {
  return c.node.findAll().filter(ApiObject.isApiObject).map((o) => o.kind);
}

/** The problems a construct reports, `field: message` each. */
const problemsOf = (c: Construct): string[] => c.node.validate();

/** Object storage settings that pass every check; a case changes one field. */
function storage(over: Record<string, unknown> = {}): ObjectStorageSettings {
  return { ...testEnv().objectStorage!, ...over } as ObjectStorageSettings;
}

/** The problems of the settings, `field: message` each, in the test env (images pinned). */
function storageProblems(s: unknown): string[] {
  return objectStorageProblems(s as ObjectStorageSettings, true, 'test').map(([f, m]) => `${f}: ${m}`);
}

// ---------------------------------------------------------------------------------------------
// Object storage settings
// ---------------------------------------------------------------------------------------------

describe('object storage settings', () => {
  it('accepts the test settings, and an endpoint with a path, a region of 2 and of 32 characters, and keys of its own', () => {
    expect(storageProblems(storage())).toEqual([]);
    expect(storageProblems(storage({ endpoint: 'https://minio.storage.svc:9000/s3', region: 'eu' }))).toEqual([]);
    expect(storageProblems(storage({ region: 'a'.repeat(32), credentials: { secret: 'backup.keys', accessKeyIdKey: 'access_key.id-1', secretAccessKeyKey: 'SECRET' } }))).toEqual([]);
  });

  it('says what is missing when the env has none, and refuses what is no object', () => {
    expect(storageProblems(undefined)).toEqual([
      'env.objectStorage: is missing; backups go to object storage outside the namespace: set endpoint, region, bucket, prefix, credentials and image',
    ]);
    expect(storageProblems(null)).toEqual(['env.objectStorage: expected an object, got null']);
    expect(storageProblems('s3')).toEqual(['env.objectStorage: expected an object, got "s3"']);
    expect(storageProblems([storage()])).toEqual([expect.stringMatching(/^env\.objectStorage: expected an object, got \[/)]);
  });

  it('refuses an endpoint that is not https://, has credentials, a query, a fragment or a space, or is no string', () => {
    const refused = (endpoint: unknown) => storageProblems(storage({ endpoint }));
    for (const endpoint of ['http://s3.example.com', 'https://', 'https://key:secret@s3.example.com', 'https://s3.example.com?x=1', 'https://s3.example.com#a', 'https://s3.example.com/a b', ' https://s3.example.com', 'https://s3.example.com\n']) {
      expect(refused(endpoint), endpoint).toEqual([`env.objectStorage.endpoint: "${endpoint}" is not an https:// URL without credentials or query, e.g. "https://s3.eu-central-1.amazonaws.com"`]);
    }
    expect(refused(443)).toEqual([expect.stringMatching(/^env\.objectStorage\.endpoint: 443 is not an https:\/\/ URL/)]);
    expect(refused('https://s3.example.com/path/to?')).toHaveLength(1);
  });

  it('refuses a region of 1 or 33 characters, with capitals or a space, or no string', () => {
    for (const region of ['a', 'a'.repeat(33), 'EU-central-1', 'eu central', 'eu_central', 5]) {
      expect(storageProblems(storage({ region })), String(region)).toEqual([`env.objectStorage.region: ${typeof region === 'string' ? `"${region}"` : region} is not a region; use e.g. "eu-central-1"`]);
    }
  });

  it('takes bucket names of 3 to 63 lowercase letters, digits, dots and dashes that start and end with a letter or digit', () => {
    for (const bucket of ['abc', 'a'.repeat(63), 'my-backups.2026', '0ab']) expect(storageProblems(storage({ bucket })), bucket).toEqual([]);
    for (const bucket of ['ab', 'a'.repeat(64), 'Backups', '-backups', 'backups-', '.backups', 'backups.', 'my..backups', 'my_backups', 'my backups', 7]) {
      expect(storageProblems(storage({ bucket })), String(bucket)).toEqual([
        `env.objectStorage.bucket: ${typeof bucket === 'string' ? `"${bucket}"` : bucket} is not a bucket name (3-63 lowercase letters, digits, '-' and '.')`,
      ]);
    }
  });

  it("takes a prefix of segments of letters, digits and -_.!*'() joined by '/', nothing else", () => {
    for (const prefix of ['prod', 'Prod/eu-1', "a!_.*'()-b/c", 'x']) expect(storageProblems(storage({ prefix })), prefix).toEqual([]);
    for (const prefix of ['', '/prod', 'prod/', 'prod//eu', 'prod eu', 'prod/e u', 'prod\\eu', 'prod/é', 3]) {
      expect(storageProblems(storage({ prefix })), String(prefix)).toEqual([expect.stringMatching(/^env\.objectStorage\.prefix: .* is not a key prefix; use segments of letters/)]);
    }
  });

  it('refuses credentials that are no object, a Secret name that is no DNS subdomain, and keys no Secret can have', () => {
    for (const credentials of [null, 'backup-storage', [{ secret: 'backup-storage' }], undefined]) {
      expect(storageProblems(storage({ credentials })), String(credentials)).toEqual([`env.objectStorage.credentials: expected { secret }, got ${credentials === undefined ? 'nothing' : JSON.stringify(credentials)}`]);
    }
    expect(storageProblems(storage({ credentials: { secret: 'Backup_Keys' } }))).toEqual([
      `env.objectStorage.credentials.secret: "Backup_Keys" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`,
    ]);
    expect(storageProblems(storage({ credentials: { secret: 'backup-storage', accessKeyIdKey: 'access key', secretAccessKeyKey: 5 } }))).toEqual([
      'env.objectStorage.credentials.accessKeyIdKey: "access key" is not a Secret key',
      'env.objectStorage.credentials.secretAccessKeyKey: 5 is not a Secret key',
    ]);
    expect(storageProblems(storage({ credentials: { secret: 'backup-storage', secretAccessKeyKey: 'secret/key' } }))).toEqual([
      'env.objectStorage.credentials.secretAccessKeyKey: "secret/key" is not a Secret key',
    ]);
  });

  it('refuses a moving image in an env that runs pinned images only, and takes it in one that does not', () => {
    const moving = storage({ image: 'rclone/rclone:1' });
    expect(storageProblems(moving)).toEqual([expect.stringMatching(/^env\.objectStorage\.image: "rclone\/rclone:1" uses the moving tag "1"; test runs only pinned images/)]);
    expect(objectStorageProblems(moving, false, 'dev')).toEqual([]);
  });

  it('refuses an egress rule without ports, naming it, and takes a valid one', () => {
    expect(storageProblems(storage({ egress: { description: 'minio', namespace: 'storage', ports: [] } }))).toEqual(['env.objectStorage.egress: "minio" needs at least one port']);
    expect(storageProblems(storage({ egress: { description: 'minio', namespace: 'storage', ports: [9000] } }))).toEqual([]);
  });

  it('refuses a list where a string belongs, even one whose only element would do', () => {
    expect(storageProblems(storage({ endpoint: ['https://s3.example.com'], region: ['us-east-1'], bucket: ['backups'], prefix: ['test'] }))).toEqual([
      'env.objectStorage.endpoint: ["https://s3.example.com"] is not an https:// URL without credentials or query, e.g. "https://s3.eu-central-1.amazonaws.com"',
      'env.objectStorage.region: ["us-east-1"] is not a region; use e.g. "eu-central-1"',
      `env.objectStorage.bucket: ["backups"] is not a bucket name (3-63 lowercase letters, digits, '-' and '.')`,
      `env.objectStorage.prefix: ["test"] is not a key prefix; use segments of letters, digits and -_.!*'() joined by '/', without a leading or trailing '/'`,
    ]);
    expect(storageProblems(storage({ credentials: { secret: 'backup-storage', accessKeyIdKey: ['AWS_ACCESS_KEY_ID'] } }))).toEqual([
      'env.objectStorage.credentials.accessKeyIdKey: ["AWS_ACCESS_KEY_ID"] is not a Secret key',
    ]);
  });

  it('reports every bad field at once', () => {
    const bad = { endpoint: 'http://x', region: 'X', bucket: 'B', prefix: '/', credentials: {}, image: '' };
    expect(storageProblems(bad).map((p) => p.split(':')[0])).toEqual([
      'env.objectStorage.endpoint',
      'env.objectStorage.region',
      'env.objectStorage.bucket',
      'env.objectStorage.prefix',
      'env.objectStorage.credentials.secret',
      'env.objectStorage.image',
    ]);
  });
});

describe('what backups run with', () => {
  it('uploads under <prefix>/<platform>/<job>', () => {
    expect(backupPrefix(storage({ prefix: 'prod/eu' }), 'tradebot', 'db-backup')).toBe('prod/eu/tradebot/db-backup');
  });

  it('reaches the storage over HTTPS on the internet, unless the settings say where it is', () => {
    expect(objectStorageEgress(storage())).toEqual({ description: 'object storage (https://s3.example.com)', ports: [443] });
    const minio = { description: 'minio', namespace: 'storage', podLabels: { app: 'minio' }, ports: [9000] };
    expect(objectStorageEgress(storage({ egress: minio }))).toBe(minio);
  });

  it("gives rclone the remote from the settings and the access key from the Secret's own keys", () => {
    const s = storage({ endpoint: 'https://minio.example.com', region: 'eu-1', bucket: 'bk', credentials: { secret: 'keys', accessKeyIdKey: 'id', secretAccessKeyKey: 'secret' } });
    const env = Object.fromEntries(renderEnv(rcloneEnv(s, 'p/x/y')).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toEqual({
      BACKUP_BUCKET: 'bk',
      BACKUP_PREFIX: 'p/x/y',
      HOME: '/tmp',
      RCLONE_CONFIG: '/dev/null',
      RCLONE_CONFIG_STORE_ACCESS_KEY_ID: { secretKeyRef: { name: 'keys', key: 'id' } },
      RCLONE_CONFIG_STORE_ENDPOINT: 'https://minio.example.com',
      RCLONE_CONFIG_STORE_PROVIDER: 'Other',
      RCLONE_CONFIG_STORE_REGION: 'eu-1',
      RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY: { secretKeyRef: { name: 'keys', key: 'secret' } },
      RCLONE_CONFIG_STORE_TYPE: 's3',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Environment variables
// ---------------------------------------------------------------------------------------------

/** The problems of an env map, `field: message` each. */
const envLines = (env: unknown): string[] => envProblems(env as any).map(([f, m]) => `${f}: ${m}`);

describe('environment variables', () => {
  it('takes no env, literals and Secret keys', () => {
    expect(envLines(undefined)).toEqual([]);
    expect(envLines({ LOG_LEVEL: 'info', _private1: 'x', a: '', DB_PASSWORD: secretKey('db.credentials', 'pass_word-1.txt') })).toEqual([]);
  });

  it('refuses an env that is no object, without judging its characters as names', () => {
    expect(envLines('LOG_LEVEL=info')).toEqual(['env: expected an object of names to values, got "LOG_LEVEL=info"']);
    expect(envLines(null)).toEqual(['env: expected an object of names to values, got null']);
    expect(envLines(['info'])).toEqual(['env: expected an object of names to values, got ["info"]']);
  });

  it('refuses names a shell cannot read: a leading digit, a dash, a space, a dot', () => {
    expect(envLines({ '1ST': 'x', 'LOG-LEVEL': 'x', 'LOG LEVEL': 'x', 'log.level': 'x', '': 'x' })).toEqual([
      'env.1ST: "1ST" is not an environment variable name',
      'env.LOG-LEVEL: "LOG-LEVEL" is not an environment variable name',
      'env.LOG LEVEL: "LOG LEVEL" is not an environment variable name',
      'env.log.level: "log.level" is not an environment variable name',
      'env.: "" is not an environment variable name',
    ]);
  });

  it('refuses a $(VAR) reference to a var that renders after it or to itself, since Kubernetes leaves it unexpanded', () => {
    expect(envLines({ A_URL: 'http://$(B_HOST):80', B_HOST: 'db' })).toEqual([
      'env.A_URL: refers to $(B_HOST), which renders after it (env vars are sorted by name); rename one of them or inline the value',
    ]);
    expect(envLines({ PATH_X: '$(PATH_X):/bin' })).toEqual([
      'env.PATH_X: refers to $(PATH_X), which renders after it (env vars are sorted by name); rename one of them or inline the value',
    ]);
    // Rendered before it, escaped as $$(…), or not a var of this container: Kubernetes does what it says.
    expect(envLines({ B_URL: 'http://$(A_HOST):80', A_HOST: 'db', C: 'echo $$(D)', D: 'x', E: '$(HOME)/x' })).toEqual([]);
    // Names every JavaScript object has are no vars of the container either.
    expect(envLines({ A: '$(constructor) $(toString) $(__proto__)' })).toEqual([]);
  });

  it('refuses a Secret reference whose name or key no Secret can have', () => {
    expect(envLines({ TOKEN: secretKey('Api_Secrets', 'token') })).toEqual([`env.TOKEN: secret name "Api_Secrets" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`]);
    expect(envLines({ TOKEN: secretKey('api-secrets', 'the token'), OTHER: secretKey('api-secrets', 5 as any) })).toEqual([
      'env.TOKEN: secret key "the token" is not a valid key',
      'env.OTHER: secret key 5 is not a valid key',
    ]);
  });

  it('refuses a value that is neither a string nor a Secret key', () => {
    expect(envLines({ PORT: 8080, DEBUG: true, X: null, Y: { secretName: 's', key: 'k' } })).toEqual([
      'env.PORT: is 8080; use a string or secretKey(name, key)',
      'env.DEBUG: is true; use a string or secretKey(name, key)',
      'env.X: is null; use a string or secretKey(name, key)',
      'env.Y: is {"secretName":"s","key":"k"}; use a string or secretKey(name, key)',
    ]);
  });

  it('refuses a literal credential, masked, and says where it belongs', () => {
    const [line, ...rest] = envLines({ DB_PASSWORD: 'hunter2' });
    expect(rest).toEqual([]);
    expect(line).toMatch(/^env\.DB_PASSWORD: holds .*; keep it in a Secret and reference it with secretKey\(name, key\)$/);
    expect(line).not.toContain('hunter2');
  });

  it('renders literals as value and Secret keys as secretKeyRef, sorted by name, and nothing for no env', () => {
    expect(renderEnv(undefined)).toEqual([]);
    expect(renderEnv({ b: 'x', A: secretKey('s', 'k'), a: 'y' })).toEqual([
      { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'a', value: 'y' },
      { name: 'b', value: 'x' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// AppConfig and content hashes
// ---------------------------------------------------------------------------------------------

const sha10 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

describe('content hashes', () => {
  it('hash the canonical JSON: keys sorted at every depth, list order kept, a missing value as null', () => {
    expect(contentHash({ b: '2', a: ['x', { d: null, c: 1 }] })).toBe(sha10('{"a":["x",{"c":1,"d":null}],"b":"2"}'));
    expect(contentHash({ database: undefined, image: 'i' })).toBe(sha10('{"database":null,"image":"i"}'));
    expect(contentHash(['b', 'a'])).toBe(sha10('["b","a"]'));
    expect(contentHash('x')).toBe(sha10('"x"'));
  });
});

describe('AppConfig', () => {
  it('renders an immutable ConfigMap <id>-<hash of the data>, labelled as config of its id, data in key order', () => {
    const chart = chartIn();
    const data = { SMTP_HOST: 'smtp.example.com', LOG_LEVEL: 'info' };
    const config = new AppConfig(chart, 'settings', { data });
    expect(config.name).toBe(`settings-${contentHash(data)}`);
    expect(config.data).toBe(data);
    expect(kindsUnder(config)).toEqual(['ConfigMap']);
    const cm = docOf(chart, 'ConfigMap', config.name);
    expect(cm).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: config.name,
        namespace: 'demo-test',
        labels: {
          'app.kubernetes.io/name': 'settings',
          'app.kubernetes.io/part-of': 'demo',
          'app.kubernetes.io/component': 'config',
          'app.kubernetes.io/managed-by': 'trading-platform-manifests',
        },
      },
      immutable: true,
      data: { LOG_LEVEL: 'info', SMTP_HOST: 'smtp.example.com' },
    });
    expect(Object.keys(cm.data)).toEqual(['LOG_LEVEL', 'SMTP_HOST']);
  });

  it('refuses keys a ConfigMap cannot have and values that are no string, naming each key, and renders nothing', () => {
    const config = new AppConfig(chartIn(), 'settings', { data: { 'log level': 'info', 'a/b': 'x', PORT: 8080 as any, DEBUG: true as any, 'ok.key_1-A': 'fine' } });
    expect(problemsOf(config)).toEqual([
      'data.log level: "log level" is not a valid ConfigMap key',
      'data.a/b: "a/b" is not a valid ConfigMap key',
      'data.PORT: 8080 is not a string; quote numbers and booleans',
      'data.DEBUG: true is not a string; quote numbers and booleans',
    ]);
    expect(kindsUnder(config)).toEqual([]);
  });

  it('refuses data that is no object, and props that are missing, without failing on them', () => {
    for (const data of [null, 'LOG_LEVEL=info', ['info']]) {
      const config = new AppConfig(chartIn(), 'settings', { data: data as any });
      expect(problemsOf(config), String(data)).toEqual([`data: expected an object of keys to strings, got ${JSON.stringify(data)}`]);
      expect(config.data).toEqual({});
    }
    const config = new AppConfig(chartIn(), 'settings', undefined as any);
    expect(problemsOf(config)).toEqual(['data: expected an object of keys to strings, got nothing']);
    expect(config.data).toEqual({});
  });

  it('takes an id of 52 characters, whose name with the hash is still a label value, and refuses 53', () => {
    expect(problemsOf(new AppConfig(chartIn(), 'a'.repeat(52), { data: {} }))).toEqual([]);
    expect(problemsOf(new AppConfig(chartIn(), 'a'.repeat(53), { data: {} }))).toEqual([`id: "${'a'.repeat(53)}" is 53 characters long; at most 52 are allowed`]);
  });
});

// ---------------------------------------------------------------------------------------------
// ServiceMonitor
// ---------------------------------------------------------------------------------------------

describe('ServiceMonitor', () => {
  const monitoring = { namespace: 'monitoring', prometheusUrl: 'http://prometheus.monitoring:9090', prometheusPort: 9090 };

  it("scrapes one port of the platform's Service over HTTP, labelled for the env's Prometheus", () => {
    const chart = chartIn(testEnv({ monitoring: { ...monitoring, serviceMonitorLabels: { release: 'kube-prometheus-stack' } } }));
    const doc = renderServiceMonitor(chart, { name: 'api', serviceLabels: { 'app.kubernetes.io/name': 'api', tier: 'web' }, portName: 'metrics', path: '/stats', interval: '15s' }).toJson();
    expect(doc).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: 'api',
        namespace: 'demo-test',
        labels: {
          'app.kubernetes.io/name': 'api',
          'app.kubernetes.io/part-of': 'demo',
          'app.kubernetes.io/component': 'monitoring',
          'app.kubernetes.io/managed-by': 'trading-platform-manifests',
          release: 'kube-prometheus-stack',
        },
      },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api', tier: 'web' } },
        namespaceSelector: { matchNames: ['demo-test'] },
        endpoints: [{ port: 'metrics', path: '/stats', interval: '15s', scheme: 'http' }],
      },
    });
  });

  it('carries only the standard labels when Prometheus selects ServiceMonitors by none', () => {
    const doc = renderServiceMonitor(chartIn(testEnv({ monitoring })), { name: 'worker', serviceLabels: { app: 'worker' }, portName: 'http', path: '/metrics', interval: '30s' }).toJson();
    expect(Object.keys(doc.metadata.labels).sort()).toEqual(['app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/part-of']);
  });
});

// ---------------------------------------------------------------------------------------------
// Postgres
// ---------------------------------------------------------------------------------------------

function postgres(chart: PlatformChart, over: Record<string, unknown> = {}, id = 'db'): Postgres {
  return new Postgres(chart, id, { image: PG_IMAGE, storage: { size: '10Gi' }, resources: SMALL, password: secretKey('db-credentials', 'password'), ...over });
}

describe('Postgres', () => {
  it('defaults the superuser and the database to "postgres" and the uid to 999, and tells clients where to connect', () => {
    const chart = chartIn();
    const db = postgres(chart);
    expect({ host: db.host, user: db.user, database: db.database, uid: db.uid, image: db.image, ports: db.connectPorts }).toEqual({
      host: 'db',
      user: 'postgres',
      database: 'postgres',
      uid: 999,
      image: PG_IMAGE,
      ports: [5432],
    });
    expect(db.password).toEqual(secretKey('db-credentials', 'password'));
    expect(db.peer).toBeDefined();
    expect(kindsUnder(db).sort()).toEqual(['NetworkPolicy', 'Service', 'StatefulSet']);
    const pod = docOf(chart, 'StatefulSet', 'db').spec.template.spec;
    expect(pod.containers[0].env).toEqual([
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      { name: 'POSTGRES_DB', value: 'postgres' },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      { name: 'POSTGRES_USER', value: 'postgres' },
    ]);
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
  });

  it('passes more settings to the server with the ones it sets itself', () => {
    const chart = chartIn();
    postgres(chart, { user: 'app', database: 'trading', env: { TZ: 'UTC', POSTGRES_INITDB_ARGS: '--data-checksums' } });
    const env = docOf(chart, 'StatefulSet', 'db').spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).toEqual(['PGDATA', 'POSTGRES_DB', 'POSTGRES_INITDB_ARGS', 'POSTGRES_PASSWORD', 'POSTGRES_USER', 'TZ']);
  });

  it('refuses in env what it sets itself from its props, instead of dropping the value', () => {
    const db = postgres(chartIn(), { env: { TZ: 'UTC', POSTGRES_USER: 'admin', POSTGRES_DB: 'trading', POSTGRES_PASSWORD: secretKey('other', 'pw'), PGDATA: '/data' } });
    expect(problemsOf(db)).toEqual([
      'env.POSTGRES_USER: is set by the construct from the user prop; leave it out of env',
      'env.POSTGRES_DB: is set by the construct from the database prop; leave it out of env',
      'env.POSTGRES_PASSWORD: is set by the construct from the password prop; leave it out of env',
      'env.PGDATA: is set by the construct from the data volume; leave it out of env',
    ]);
    expect(kindsUnder(db)).toEqual([]);
  });

  it('probes the server on its own loopback as the configured superuser and database, at start, for readiness and for liveness', () => {
    const chart = chartIn();
    postgres(chart);
    const c = docOf(chart, 'StatefulSet', 'db').spec.template.spec.containers[0];
    const ready = ['sh', '-c', 'exec pg_isready --host=127.0.0.1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB"'];
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe.exec).toEqual({ command: ready });
  });

  it('refuses props of the wrong type, naming each, without failing on them', () => {
    const db = postgres(chartIn(), { user: 5, database: ['trading'], env: 'TZ=UTC', storage: '10Gi' });
    expect(problemsOf(db)).toEqual([
      'env: expected an object of names to values, got "TZ=UTC"',
      'storage: expected an object, got "10Gi"',
      'user: expected a string, got 5',
      'database: expected a string, got ["trading"]',
      'storage.size: is missing; give the volume size for this env',
    ]);
    expect(problemsOf(postgres(chartIn(), { image: 16, resources: 'small' }))).toEqual([
      'resources: expected an object, got "small"',
      'image: expected a string, got 16',
      'image: expected an image reference, got 16',
      'resources: is missing; state requests (cpu, memory) and limits (memory) for every env',
    ]);
  });

  it('refuses a missing storage size, one that is no quantity, and a Secret reference that is no secretKey', () => {
    expect(problemsOf(postgres(chartIn(), { storage: undefined }))).toEqual(['storage.size: is missing; give the volume size for this env']);
    expect(problemsOf(postgres(chartIn(), { storage: null }))).toEqual(['storage: expected an object, got null', 'storage.size: is missing; give the volume size for this env']);
    expect(problemsOf(postgres(chartIn(), { storage: {} }))).toEqual(['storage.size: nothing is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"']);
    expect(problemsOf(postgres(chartIn(), { password: { secretName: 'db-credentials', key: 'password' } }))).toEqual(['password: must be a Secret reference: secretKey(name, key)']);
  });

  it('runs as any uid from 1 to 2147483647, and refuses others', () => {
    for (const uid of [1, 70, 2147483647]) expect(problemsOf(postgres(chartIn(), { uid })), String(uid)).toEqual([]);
    for (const uid of [0, -1, 2147483648, 70.5, '70']) {
      expect(problemsOf(postgres(chartIn(), { uid })), String(uid)).toEqual([`uid: ${JSON.stringify(uid)} is not allowed; use a whole number from 1 to 2147483647`]);
    }
  });

  it('refuses a name no Service can have, and renders nothing it refuses', () => {
    const db = postgres(chartIn(), {}, '1db');
    expect(problemsOf(db)).toEqual(['name: "1db" names a Service, so it must start with a letter (DNS-1035 label)']);
    expect(kindsUnder(db)).toEqual([]);
    expect(db.peer).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

function redis(chart: PlatformChart, over: Record<string, unknown> = {}, id = 'cache'): Redis {
  return new Redis(chart, id, { image: REDIS_IMAGE, resources: SMALL, password: secretKey('cache-credentials', 'password'), ...over });
}

describe('Redis', () => {
  it('tells clients where to connect, and keeps its config in a small memory-backed folder', () => {
    const chart = chartIn();
    const cache = redis(chart);
    expect({ host: cache.host, ports: cache.connectPorts, password: cache.password }).toEqual({ host: 'cache', ports: [6379], password: secretKey('cache-credentials', 'password') });
    expect(cache.peer).toBeDefined();
    expect(kindsUnder(cache).sort()).toEqual(['NetworkPolicy', 'Service', 'StatefulSet']);
    const pod = docOf(chart, 'StatefulSet', 'cache').spec.template.spec;
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
        { name: 'run-redis', emptyDir: { sizeLimit: '1Mi', medium: 'Memory' } },
      ]),
    );
    const c = pod.containers[0];
    expect(c.command).toEqual(['sh', '-c', redisStart(false)]);
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe.exec).toEqual({ command: ['sh', '-c', REDIS_PING] });
  });

  it('runs as any uid from 1 to 2147483647, and refuses others', () => {
    for (const uid of [1, 2147483647]) expect(problemsOf(redis(chartIn(), { uid })), String(uid)).toEqual([]);
    for (const uid of [0, 2147483648, 1.5, '999']) {
      expect(problemsOf(redis(chartIn(), { uid })), String(uid)).toEqual([`uid: ${JSON.stringify(uid)} is not allowed; use a whole number from 1 to 2147483647`]);
    }
  });

  it('refuses storage without a size or that is no object, and an image that is no string, without failing on them', () => {
    expect(problemsOf(redis(chartIn(), { storage: {} }))).toEqual(['storage.size: nothing is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"']);
    expect(problemsOf(redis(chartIn(), { storage: null }))).toEqual([
      'storage: expected an object, got null',
      'storage.size: nothing is not a Kubernetes quantity; use e.g. "250m", "512Mi" or "20Gi"',
    ]);
    expect(problemsOf(redis(chartIn(), { image: 7, resources: [] }))).toEqual([
      'resources: expected an object, got []',
      'image: expected a string, got 7',
      'image: expected an image reference, got 7',
      'resources.requests: is missing; state cpu and memory',
      'resources.limits: is missing; state at least memory',
    ]);
  });

  it('refuses a name no Service can have, and renders nothing it refuses', () => {
    const cache = redis(chartIn(), {}, 'Cache');
    expect(problemsOf(cache)).toEqual([`name: "Cache" is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)`]);
    expect(kindsUnder(cache)).toEqual([]);
    expect(cache.peer).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The scripts, run by sh against stand-ins for the programs they call
// ---------------------------------------------------------------------------------------------

/**
 * A stand-in for rclone: the remote `store:` is the folder `$FAKE_STORE`; `copy` and `lsf` honour
 * `--include`, `delete` honours `--files-from-raw`; each call is logged to `$FAKE_LOG`, and the
 * operation named in `$FAKE_FAIL` fails.
 */
const FAKE_RCLONE = `#!/bin/sh
echo "rclone $*" >> "$FAKE_LOG"
op=$1; shift
[ "$op" = "\${FAKE_FAIL:-}" ] && exit 1
include='*'; from=; a=; b=
while [ $# -gt 0 ]; do
  case $1 in
    --include) include=\${2#/}; shift 2 ;;
    --files-from-raw) from=$2; shift 2 ;;
    --max-depth|--min-age) shift 2 ;;
    --*) shift ;;
    *) if [ -z "$a" ]; then a=$1; else b=$1; fi; shift ;;
  esac
done
at() { case $1 in store:*) echo "$FAKE_STORE/\${1#store:}" ;; *) echo "$1" ;; esac; }
A=\`at "$a"\`; B=\`at "$b"\`
case $op in
  copy) mkdir -p "$B"; for f in \`ls "$A"\`; do case $f in $include) cp "$A/$f" "$B/$f" ;; esac; done ;;
  copyto) mkdir -p "\${B%/*}"; cp "$A" "$B" ;;
  lsf) for f in \`ls "$A"\`; do case $f in $include) echo "$f" ;; esac; done ;;
  delete) if [ -n "$from" ]; then while read -r f; do rm "$A/$f"; done < "$from"; fi ;;
  lsl) ls -l "$A" ;;
  *) exit 3 ;;
esac
`;

/** A stand-in for pg_dump: writes a dump to its --file, then exits with `$FAKE_STATUS`. */
const FAKE_PG_DUMP = `#!/bin/sh
echo "pg_dump $*" >> "$FAKE_LOG"
for arg; do case $arg in --file=*) file=\${arg#--file=} ;; esac; done
printf 'dump of %s' "$PGDATABASE" > "$file"
exit \${FAKE_STATUS:-0}
`;

/** A stand-in for redis-server: writes its arguments to `$FAKE_LOG`, one a line. */
const FAKE_REDIS_SERVER = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_LOG"
`;

/** A stand-in for redis-cli: answers PONG to `-h 127.0.0.1 ping` when REDISCLI_AUTH is exactly `$FAKE_PASSWORD`. */
const FAKE_REDIS_CLI = `#!/bin/sh
if [ "$*" = "-h 127.0.0.1 ping" ] && [ "\${REDISCLI_AUTH-}" = "$FAKE_PASSWORD" ]; then echo PONG; else echo 'NOAUTH Authentication required.'; fi
`;

/**
 * Runs `test` in a scratch folder with the stand-ins on PATH before the system's programs;
 * `run(script, env)` runs a script under sh there, logging to `<dir>/log`.
 */
function withStandIns(test: (dir: string, run: (script: string, env?: Record<string, string>) => ReturnType<typeof sh>) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-stores-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const programs = { rclone: FAKE_RCLONE, pg_dump: FAKE_PG_DUMP, 'redis-server': FAKE_REDIS_SERVER, 'redis-cli': FAKE_REDIS_CLI };
    for (const [name, text] of Object.entries(programs)) fs.writeFileSync(path.join(bin, name), text, { mode: 0o755 });
    const log = path.join(dir, 'log');
    test(dir, (script, env = {}) => sh(script, { PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: log, FAKE_STORE: path.join(dir, 'store'), ...env }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The files of a folder, sorted; `[]` when there is none. */
const filesIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('the backup scripts', () => {
  it('dump to <database>-<UTC time>.dump, complete or not at all', () => {
    withStandIns((dir, run) => {
      const backup = path.join(dir, 'backup');
      fs.mkdirSync(backup);
      const ok = run(DUMP_SCRIPT, { BACKUP_DIR: backup, PGDATABASE: 'trading' });
      expect(ok.status, ok.stderr).toBe(0);
      const [dump, ...others] = filesIn(backup);
      expect(others).toEqual([]);
      expect(dump).toMatch(/^trading-\d{8}T\d{6}Z\.dump$/);
      expect(fs.readFileSync(path.join(backup, dump), 'utf8')).toBe('dump of trading');
      expect(ok.stdout).toContain(dump); // the job's log lists what it dumped
      expect(fs.readFileSync(path.join(dir, 'log'), 'utf8')).toBe(`pg_dump --format=custom --no-owner --file=${backup}/${dump}.partial\n`);
      // A failing pg_dump fails the job and leaves no file the upload would take.
      fs.rmSync(path.join(backup, dump));
      const failed = run(DUMP_SCRIPT, { BACKUP_DIR: backup, PGDATABASE: 'trading', FAKE_STATUS: '1' });
      expect(failed.status).not.toBe(0);
      expect(filesIn(backup).filter((f) => f.endsWith('.dump'))).toEqual([]);
    });
  });

  it('upload only complete dumps, never overwriting, then delete those older than keepDays; nothing is deleted after a failed upload', () => {
    withStandIns((dir, run) => {
      const backup = path.join(dir, 'backup');
      fs.mkdirSync(backup);
      for (const f of ['app-20010101T000000Z.dump', 'app-20010102T000000Z.dump.partial', 'notes.txt']) fs.writeFileSync(path.join(backup, f), f);
      const env = { BACKUP_DIR: backup, BACKUP_BUCKET: 'bk', BACKUP_PREFIX: 'test/demo/db-backup' };
      const ok = run(uploadScript(7), env);
      expect(ok.status, ok.stderr).toBe(0);
      expect(filesIn(path.join(dir, 'store/bk/test/demo/db-backup'))).toEqual(['app-20010101T000000Z.dump']);
      const calls = fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n');
      expect(calls.map((c) => c.split(' ')[1])).toEqual(['copy', 'delete', 'lsl']);
      expect(calls[0]).toContain(' --immutable ');
      expect(calls[1]).toBe("rclone delete --max-depth 1 --include /*.dump --min-age 7d store:bk/test/demo/db-backup");
      fs.rmSync(path.join(dir, 'log'));
      const failed = run(uploadScript(7), { ...env, FAKE_FAIL: 'copy' });
      expect(failed.status).not.toBe(0);
      expect(fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n').map((c) => c.split(' ')[1])).toEqual(['copy']);
    });
  });

  it('archive a volume, upload it and keep the newest archives of that name only, leaving no local copy', () => {
    withStandIns((dir, run) => {
      const volume = path.join(dir, 'volume');
      const scratch = path.join(dir, 'scratch');
      const remote = path.join(dir, 'store/bk/test/demo/engine-state');
      for (const d of [path.join(volume, 'sub'), scratch, remote]) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(volume, 'a.txt'), 'a');
      fs.writeFileSync(path.join(volume, 'sub', 'b.txt'), 'b');
      const old = ['state-20010101T000000Z.tar.gz', 'state-20010102T000000Z.tar.gz', 'state-20010103T000000Z.tar.gz'];
      for (const f of [...old, 'other-20010101T000000Z.tar.gz', 'state-notes.txt']) fs.writeFileSync(path.join(remote, f), f);
      const env = { VOLUME_DIR: volume, SCRATCH_DIR: scratch, ARCHIVE_NAME: 'state', BACKUP_BUCKET: 'bk', BACKUP_PREFIX: 'test/demo/engine-state' };
      const r = run(archiveScript(2), env);
      expect(r.status, r.stderr).toBe(0);
      const kept = filesIn(remote);
      const made = kept.find((f) => !old.includes(f) && f.startsWith('state-2'))!;
      expect(made).toMatch(/^state-\d{8}T\d{6}Z\.tar\.gz$/);
      expect(kept).toEqual(['other-20010101T000000Z.tar.gz', 'state-20010103T000000Z.tar.gz', made, 'state-notes.txt'].sort());
      expect(sh(`tar -tzf "${path.join(remote, made)}" | sort`, { PATH: process.env.PATH }).stdout.split('\n').filter(Boolean)).toEqual(['./', './a.txt', './sub/', './sub/b.txt']);
      expect(filesIn(scratch)).toEqual([]);
      const calls = fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n');
      expect(calls.map((c) => c.split(' ')[1])).toEqual(['copyto', 'lsf', 'delete', 'lsl']);
      expect(calls[0]).toMatch(/^rclone copyto --immutable /);
      // A failed upload fails the job before anything is deleted.
      fs.rmSync(path.join(dir, 'log'));
      expect(run(archiveScript(1), { ...env, FAKE_FAIL: 'copyto' }).status).not.toBe(0);
      expect(fs.readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n').map((c) => c.split(' ')[1])).toEqual(['copyto']);
      fs.rmSync(path.join(scratch, fs.readdirSync(scratch)[0]));
      // Fewer archives than kept: nothing to delete.
      fs.rmSync(path.join(dir, 'log'));
      fs.rmSync(path.join(remote, made));
      expect(run(archiveScript(9), env).status).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'log'), 'utf8')).not.toContain('rclone delete');
      expect(filesIn(remote)).toEqual(expect.arrayContaining(['other-20010101T000000Z.tar.gz', 'state-20010103T000000Z.tar.gz', 'state-notes.txt']));
      expect(filesIn(remote)).toHaveLength(4);
    });
  });
});

describe('the Redis scripts', () => {
  // Any byte may be in a password: quotes, backslashes, $( and backquotes, non-ASCII, a final newline.
  const PASSWORD = `p@ss "w0rd" \\ $(X) \`q\` 'q' é\n`;

  /** A pod path moved into the scratch folder. */
  const local = (dir: string, s: string) => s.replaceAll(REDIS_PASSWORD_FILE, path.join(dir, 'password')).replaceAll(REDIS_CONFIG, path.join(dir, 'redis.conf'));

  it('start redis-server on a config, only its user may read, that requires the mounted password byte for byte', () => {
    withStandIns((dir, run) => {
      fs.writeFileSync(path.join(dir, 'password'), PASSWORD);
      for (const persistent of [false, true]) {
        const r = run(local(dir, kubeExpand(redisStart(persistent), {})));
        expect(r.status, r.stderr).toBe(0);
        const config = fs.readFileSync(path.join(dir, 'redis.conf'), 'utf8');
        // Redis' config parser decodes \xHH inside double quotes.
        const [, escaped] = /^requirepass "((?:\\x[0-9a-f]{2})+)"\n$/.exec(config) ?? [];
        expect(Buffer.from(escaped.replaceAll('\\x', ''), 'hex').toString('utf8')).toBe(PASSWORD);
        expect(fs.statSync(path.join(dir, 'redis.conf')).mode & 0o777).toBe(0o600);
        expect(fs.readFileSync(path.join(dir, 'log'), 'utf8')).toBe(`${[path.join(dir, 'redis.conf'), '--dir', '/data', '--appendonly', persistent ? 'yes' : 'no', '--save', ''].join('\n')}\n`);
      }
    });
  });

  it('refuse to start the server on an empty password, which Redis would read as none', () => {
    withStandIns((dir, run) => {
      fs.writeFileSync(path.join(dir, 'password'), '');
      const r = run(local(dir, kubeExpand(redisStart(true), {})));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('is empty; Redis does not start without a password');
      expect(fs.existsSync(path.join(dir, 'redis.conf'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'log'))).toBe(false);
    });
  });

  it('probe with the mounted password, final newline included, and fail with another', () => {
    withStandIns((dir, run) => {
      fs.writeFileSync(path.join(dir, 'password'), PASSWORD);
      // The kubelet runs a probe's command as it is: no $(VAR) expansion.
      expect(run(local(dir, REDIS_PING), { FAKE_PASSWORD: PASSWORD }).status).toBe(0);
      expect(run(local(dir, REDIS_PING), { FAKE_PASSWORD: PASSWORD.trimEnd() }).status).not.toBe(0);
    });
  });
});
