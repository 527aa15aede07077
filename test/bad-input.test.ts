/**
 * Bad-input suite: every kind of wrong input is reported as one line
 * `<env>/<platform>/<construct>: <field>: <message>` of the single InputError the synth
 * pipeline throws, and several problems are reported together.
 */
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import {
  AppConfig,
  BackupCronJob,
  Environment,
  MigrationJob,
  MigrationJobProps,
  PlatformChart,
  PublicIngress,
  PublicIngressProps,
  Redis,
  RedisProps,
  render,
  secretKey,
  Singleton,
  SingletonProps,
  WebService,
  WebServiceProps,
  Worker,
  WorkerProps,
} from '../src';
import { backup, inputErrorOf, postgres, problemsOf, renderedPlatforms, SMALL, testEnv } from './helpers';
import { parseImage } from '../src/image';

// ---------------------------------------------------------------------------------------------
// Valid building blocks: each renders with no problem; a case overrides exactly one field.
// ---------------------------------------------------------------------------------------------

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const PROFILE = { replicas: 1, resources: SMALL };

function web(chart: PlatformChart, over: Partial<WebServiceProps> = {}, id = 'backend'): WebService {
  return new WebService(chart, id, { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', ...over });
}

function worker(chart: PlatformChart, over: Partial<WorkerProps> = {}, id = 'worker'): Worker {
  return new Worker(chart, id, { image: IMAGE, profile: PROFILE, health: { exec: ['true'] }, ...over });
}

function singleton(chart: PlatformChart, over: Partial<SingletonProps> = {}, id = 'engine'): Singleton {
  return new Singleton(chart, id, { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', ...over });
}

function redis(chart: PlatformChart, over: Partial<RedisProps> = {}, id = 'cache'): Redis {
  return new Redis(chart, id, { image: 'redis:7.4.1-alpine', resources: SMALL, password: secretKey('cache-secret', 'password'), ...over });
}

function migration(chart: PlatformChart, over: Partial<MigrationJobProps> = {}, id = 'migrate'): MigrationJob {
  return new MigrationJob(chart, id, { image: IMAGE, command: ['./backend', 'migrate'], resources: SMALL, ...over });
}

/** A valid WebService `backend` plus an Ingress to it, with `over` applied to the Ingress. */
function ingress(chart: PlatformChart, over: Partial<PublicIngressProps> = {}, id = 'web'): PublicIngress {
  const backend = web(chart);
  return new PublicIngress(chart, id, { host: 'app.example.com', routes: [{ path: '/', service: backend, access: 'public', control: false }], ...over });
}

/** A second, valid platform chart `other` in the same app and env as `chart`. */
function otherChart(chart: PlatformChart): PlatformChart {
  return new PlatformChart(chart.node.scope!, 'other', { env: chart.env });
}

/** An env like `dev`: moving tags allowed. */
const devEnv = testEnv({ name: 'dev', requirePinnedImages: false });

// ---------------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------------

interface Case {
  /** Test name, `fails when …`. */
  readonly name: string;
  /** Builds the bad input inside the chart `demo`. */
  readonly build: (chart: PlatformChart) => void;
  /** Env to render in. @default testEnv() (`test`, pinned images required) */
  readonly in?: Environment;
  /** Env name expected at the start of the line. */
  readonly env: string;
  /** Platform (chart id). */
  readonly platform: string;
  /** Construct path, starting with the platform, e.g. `demo/backend`. */
  readonly construct: string;
  /** Field, e.g. `image` or `routes[0].service`. */
  readonly field: string;
  /** Part of the message that says what is wrong. */
  readonly says: string;
}

/** Cases in the default env `test`, platform `demo`. */
const at = (construct: string, field: string, says: string) => ({ env: 'test', platform: 'demo', construct: `demo/${construct}`, field, says });

const cases: Case[] = [
  // --- names --------------------------------------------------------------------------------
  { name: 'fails when a WebService id is not a DNS label (Backend_1)', build: (c) => web(c, {}, 'Backend_1'), ...at('Backend_1', 'name', '"Backend_1" is not a DNS-1123 label') },
  { name: 'fails when a Postgres id has uppercase letters (MainDb)', build: (c) => postgres(c, {}, 'MainDb'), ...at('MainDb', 'name', '"MainDb" is not a DNS-1123 label') },
  { name: 'fails when an Ingress host has uppercase letters', build: (c) => ingress(c, { host: 'App.Example.com' }), ...at('web', 'host', '"App.Example.com" is not a DNS-1123 subdomain') },
  { name: 'fails when an Ingress host holds a space', build: (c) => ingress(c, { host: 'app example.com' }), ...at('web', 'host', '"app example.com" is not a DNS-1123 subdomain') },

  {
    name: 'fails when a DNS range is not a CIDR',
    build: () => {},
    in: testEnv({ dns: { cidrs: ['169.254.20.10'] } }),
    ...at('', 'env.dns.cidrs', '"169.254.20.10" is not an IPv4 CIDR'),
    construct: 'demo',
  },

  // --- ports --------------------------------------------------------------------------------
  { name: 'fails when a port is 0', build: (c) => web(c, { port: 0 }), ...at('backend', 'port', '0 is not a port') },
  { name: 'fails when a port is 70000', build: (c) => web(c, { port: 70000 }), ...at('backend', 'port', '70000 is not a port') },
  { name: 'fails when a port is 1.5', build: (c) => web(c, { port: 1.5 }), ...at('backend', 'port', '1.5 is not a port') },
  { name: 'fails when a servicePort is out of range', build: (c) => web(c, { servicePort: 65536 }), ...at('backend', 'servicePort', '65536 is not a port') },
  { name: 'fails when a Singleton port is 0', build: (c) => singleton(c, { port: 0 }), ...at('engine', 'port', '0 is not a port') },
  { name: 'fails when metricsPort equals the port', build: (c) => web(c, { metrics: { port: 8080 } }), ...at('backend', 'metrics.port', '8080 is also the container port (port)') },

  // --- ingress routes -----------------------------------------------------------------------
  {
    name: 'fails when an Ingress routes to a Worker (no Service)',
    build: (c) => new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/', service: worker(c), access: 'public', control: false }] }),
    ...at('web', 'routes[0].service', '"worker" has no Service'),
  },
  {
    name: 'fails when an Ingress routes to undefined',
    build: (c) => ingress(c, { routes: [{ path: '/', service: undefined as any, access: 'public', control: false }] }),
    ...at('web', 'routes[0].service', 'is missing; route to a WebService'),
  },
  {
    name: 'fails when an Ingress routes to a service of another chart',
    build: (c) => ingress(c, { routes: [{ path: '/', service: web(otherChart(c), {}, 'api'), access: 'public', control: false }] }),
    ...at('web', 'routes[0].service', '"api" belongs to another platform or env'),
  },
  {
    name: 'fails when a path is routed twice',
    build: (c) => {
      const backend = web(c);
      new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/api', service: backend, access: 'public', control: false }, { path: '/api', service: backend, access: 'public', control: false, websocket: true }] });
    },
    ...at('web', 'routes[1].path', '"/api" is routed twice'),
  },
  { name: 'fails when a route path has no leading slash', build: (c) => ingress(c, { routes: [{ path: 'api', service: web(c, {}, 'api'), access: 'public', control: false }] }), ...at('web', 'routes[0].path', '"api" is not an HTTP path') },
  { name: 'fails when an Ingress has no routes', build: (c) => ingress(c, { routes: [] }), ...at('web', 'routes', 'is empty') },

  // --- images -------------------------------------------------------------------------------
  { name: 'fails when an image uses "latest" where pinned images are required', build: (c) => web(c, { image: 'ghcr.io/acme/api:latest' }), ...at('backend', 'image', '"ghcr.io/acme/api:latest" uses the tag "latest"') },
  {
    name: 'fails when an image uses "latest" even where moving tags are allowed',
    build: (c) => web(c, { image: 'ghcr.io/acme/api:latest' }),
    in: devEnv,
    env: 'dev',
    platform: 'demo',
    construct: 'demo/backend',
    field: 'image',
    says: '"ghcr.io/acme/api:latest" uses the tag "latest"',
  },
  { name: 'fails when an image uses the moving tag "main" and pinned images are required', build: (c) => web(c, { image: 'ghcr.io/acme/api:main' }), ...at('backend', 'image', 'uses the moving tag "main"; test runs only pinned images') },
  {
    name: 'fails when an image uses the moving tag "demo" in prod',
    build: (c) => worker(c, { image: 'ghcr.io/acme/worker:demo' }),
    in: testEnv({ name: 'prod' }),
    env: 'prod',
    platform: 'demo',
    construct: 'demo/worker',
    field: 'image',
    says: '"ghcr.io/acme/worker:demo" uses the moving tag "demo"; prod runs only pinned images',
  },
  { name: 'fails when a Postgres image uses a major-only tag', build: (c) => postgres(c, { image: 'postgres:16' }), ...at('db', 'image', 'uses the moving tag "16"') },
  { name: 'fails when an image is not a reference', build: (c) => web(c, { image: 'not an image!' }), ...at('backend', 'image', '"not an image!" is not an image reference') },
  { name: 'fails when an image has no tag or digest', build: (c) => migration(c, { image: 'ghcr.io/acme/api' }), ...at('migrate', 'image', '"ghcr.io/acme/api" has no tag or digest') },

  // --- secrets ------------------------------------------------------------------------------
  { name: 'fails when JWT_SECRET holds a literal value', build: (c) => web(c, { env: { JWT_SECRET: 'abc' } }), ...at('backend', 'env.JWT_SECRET', 'holds a literal under the credential name JWT_SECRET: …(3 characters) [credential-name]') },
  {
    name: 'fails when a plain env var holds a postgres:// URL with a password',
    build: (c) => worker(c, { env: { DATABASE_URL: 'postgres://user:pass@host:5432/app' } }),
    ...at('worker', 'env.DATABASE_URL', 'holds a postgres URL with a password: postgres://user:…(4 characters)@host:5432/app [url-password]'),
  },
  {
    name: 'fails when a MigrationJob env var holds a credential URL',
    build: (c) => migration(c, { env: { DATABASE_URL: 'postgres://user:pass@host/app' } }),
    ...at('migrate', 'env.DATABASE_URL', 'holds a postgres URL with a password'),
  },
  { name: 'fails when an AppConfig holds DB_PASSWORD', build: (c) => new AppConfig(c, 'settings', { data: { DB_PASSWORD: 'hunter2' } }), ...at('settings', 'data.DB_PASSWORD', 'holds a literal under the credential name DB_PASSWORD: …(7 characters) [credential-name]') },
  { name: 'fails when a Postgres password is a plain string', build: (c) => postgres(c, { password: 'hunter2' as any }), ...at('db', 'password', 'must be a Secret reference') },
  { name: 'fails when a Redis password is a plain string', build: (c) => redis(c, { password: 'hunter2' as any }), ...at('cache', 'password', 'must be a Secret reference') },

  {
    name: 'fails when an env var refers to one that renders after it',
    build: (c) => web(c, { env: { BASE_URL: 'https://$(HOST)/api', HOST: 'app.example.com' } }),
    ...at('backend', 'env.BASE_URL', 'refers to $(HOST), which renders after it'),
  },

  // --- resources ----------------------------------------------------------------------------
  { name: 'fails when a WebService profile has no resources', build: (c) => web(c, { profile: { replicas: 1 } as any }), ...at('backend', 'profile.resources', 'is missing') },
  { name: 'fails when a Postgres has no resources', build: (c) => postgres(c, { resources: undefined as any }), ...at('db', 'resources', 'is missing') },
  {
    name: 'fails when there is no memory limit',
    build: (c) => web(c, { profile: { replicas: 1, resources: { requests: SMALL.requests, limits: {} as any } } }),
    ...at('backend', 'profile.resources.limits.memory', 'is missing; a container without a memory limit'),
  },
  {
    name: 'fails when a memory request is "512MB"',
    build: (c) => web(c, { profile: { replicas: 1, resources: { ...SMALL, requests: { cpu: '50m', memory: '512MB' } } } }),
    ...at('backend', 'profile.resources.requests.memory', '"512MB" is not a Kubernetes quantity'),
  },
  {
    name: 'fails when a backup memory limit is "1 Gi"',
    build: (c) => backup(c, { resources: { ...SMALL, limits: { memory: '1 Gi' } } }),
    ...at('backup', 'resources.limits.memory', '"1 Gi" is not a Kubernetes quantity'),
  },

  // --- schedules and time zones -------------------------------------------------------------
  { name: 'fails when a cron schedule has 6 fields', build: (c) => backup(c, { schedule: '0 0 3 * * *' }), ...at('backup', 'schedule', '"0 0 3 * * *" has 6 fields') },
  { name: 'fails when a cron minute is 61', build: (c) => backup(c, { schedule: '61 3 * * *' }), ...at('backup', 'schedule', 'minute field "61" is not valid') },
  { name: 'fails when a cron schedule sets CRON_TZ inline', build: (c) => backup(c, { schedule: 'CRON_TZ=UTC 0 3 * * *' }), ...at('backup', 'schedule', '"CRON_TZ=UTC 0 3 * * *" sets its time zone inline') },
  { name: 'fails when a time zone does not exist (Mars/Base)', build: (c) => backup(c, { timeZone: 'Mars/Base' }), ...at('backup', 'timeZone', '"Mars/Base" is not an IANA time zone name') },
  { name: 'fails when a time zone is lowercase (europe/berlin)', build: (c) => backup(c, { timeZone: 'europe/berlin' }), ...at('backup', 'timeZone', '"europe/berlin" is spelled "Europe/Berlin"') },
  { name: 'fails when backups are kept 0 days', build: (c) => backup(c, { keepDays: 0 }), ...at('backup', 'keepDays', '0 is not allowed') },

  // --- replicas and autoscaling -------------------------------------------------------------
  { name: 'fails when a Singleton is given 2 replicas', build: (c) => singleton(c, { profile: { ...PROFILE, replicas: 2 } }), ...at('engine', 'profile.replicas', 'a singleton runs exactly one pod (two would act twice, e.g. trade twice); got 2') },
  {
    name: 'fails when a Singleton is given autoscale',
    build: (c) => singleton(c, { profile: { resources: SMALL, autoscale: { minReplicas: 1, maxReplicas: 3 } } }),
    ...at('engine', 'profile.autoscale', 'a singleton is never autoscaled'),
  },
  {
    name: 'fails when autoscale maxReplicas is below minReplicas',
    build: (c) => web(c, { profile: { resources: SMALL, autoscale: { minReplicas: 3, maxReplicas: 2 } } }),
    ...at('backend', 'profile.autoscale.maxReplicas', '2 is below minReplicas (3)'),
  },
  {
    name: 'fails when a profile gives both replicas and autoscale',
    build: (c) => worker(c, { profile: { replicas: 2, resources: SMALL, autoscale: { minReplicas: 2, maxReplicas: 4 } } }),
    ...at('worker', 'profile.replicas', 'is fixed while autoscale is set'),
  },
  { name: 'fails when a WebService is given -1 replicas', build: (c) => web(c, { profile: { ...PROFILE, replicas: -1 } }), ...at('backend', 'profile.replicas', '-1 is not allowed') },

  // --- volumes ------------------------------------------------------------------------------
  { name: 'fails when a Postgres storage size is "20 GB"', build: (c) => postgres(c, { storage: { size: '20 GB' } }), ...at('db', 'storage.size', '"20 GB" is not a Kubernetes quantity') },
  { name: 'fails when a Postgres storage size is "lots"', build: (c) => postgres(c, { storage: { size: 'lots' } }), ...at('db', 'storage.size', '"lots" is not a Kubernetes quantity') },
  { name: 'fails when a BackupCronJob storage size is "20 GB"', build: (c) => backup(c, { storage: { size: '20 GB' } }), ...at('backup', 'storage.size', '"20 GB" is not a Kubernetes quantity') },
  { name: 'fails when a BackupCronJob storage size is "lots"', build: (c) => backup(c, { storage: { size: 'lots' } }), ...at('backup', 'storage.size', '"lots" is not a Kubernetes quantity') },
  { name: 'fails when a Redis storage size is a milli-quantity', build: (c) => redis(c, { storage: { size: '500m' } }), ...at('cache', 'storage.size', '"500m" is a milli-quantity') },

  // --- health checks ------------------------------------------------------------------------
  { name: 'fails when an HTTP health path has no leading slash', build: (c) => web(c, { healthPath: 'healthz' }), ...at('backend', 'healthPath', '"healthz" is not an HTTP path') },
  { name: 'fails when a Singleton health path holds a space', build: (c) => singleton(c, { healthPath: '/health check' }), ...at('engine', 'healthPath', '"/health check" is not an HTTP path') },
  { name: 'fails when a Worker has no health check', build: (c) => worker(c, { health: undefined as any }), ...at('worker', 'health', 'is missing') },
  { name: 'fails when a Singleton has neither port nor health', build: (c) => singleton(c, { port: undefined, healthPath: undefined }), ...at('engine', 'health', 'is missing') },
];

/** The one line of `problems` that starts with `<env>/<construct path>: <field>: ` and holds `says`. */
function expectOneLine(problems: readonly string[], c: Pick<Case, 'env' | 'platform' | 'construct' | 'field' | 'says'>): void {
  expect(c.construct === c.platform || c.construct.startsWith(`${c.platform}/`), `construct path "${c.construct}" starts with the platform "${c.platform}"`).toBe(true);
  const prefix = `${c.env}/${c.construct}: ${c.field}: `;
  const matching = problems.filter((line) => line.startsWith(prefix) && line.includes(c.says));
  expect(matching, `one line "${prefix}…${c.says}…" among:\n  ${problems.join('\n  ')}`).toHaveLength(1);
}

describe('bad input', () => {
  it('has a valid baseline: every building block renders with no problem', () => {
    expect(
      problemsOf((c) => {
        ingress(c); // and its WebService `backend`
        worker(c);
        singleton(c);
        redis(c, { storage: { size: '1Gi' } });
        backup(c); // and its database
        migration(c);
        new AppConfig(c, 'settings', { data: { LOG_LEVEL: 'info' } });
      }),
    ).toEqual([]);
  });

  it('has at least 30 cases with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name', (c) => {
    const problems = problemsOf(c.build, c.in);
    expect(problems.length, 'the input is refused').toBeGreaterThan(0);
    // Every line names the env and the platform it comes from.
    for (const line of problems) expect(line.startsWith(`${c.env}/${c.platform}`), line).toBe(true);
    expectOneLine(problems, c);
  });

  it('accepts a moving tag where requirePinnedImages is false', () => {
    expect(problemsOf((c) => void web(c, { image: 'ghcr.io/acme/api:main' }), devEnv)).toEqual([]);
    expect(problemsOf((c) => void worker(c, { image: 'ghcr.io/acme/worker:demo' }), devEnv)).toEqual([]);
  });

  it('accepts a version, a commit SHA or a digest where pinned images are required', () => {
    const digest = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;
    for (const image of ['ghcr.io/acme/api:1.2.3', 'ghcr.io/acme/api:v2.0.1-rc.1', 'ghcr.io/acme/api:sha-4f2c9e1', digest]) {
      expect(problemsOf((c) => void web(c, { image })), image).toEqual([]);
    }
  });

  it('fails when an unknown env is asked for, naming it and the known envs', () => {
    const error = inputErrorOf(() => render(overlays, platforms, { envs: ['staging'] }));
    const problems = error.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^staging: /);
    expect(problems[0]).toContain('unknown env "staging"');
    expect(problems[0]).toContain(`known envs: ${Object.keys(overlays).join(', ')}`);
    for (const env of ['dev', 'demo', 'prod']) expect(problems[0]).toContain(env);
    // One problem: the count line is singular.
    expect(error.message.split('\n')[0]).toBe('1 problem in the input, nothing was written:');
  });

  it('reports every problem of every construct in one error', () => {
    const problems = problemsOf((c) => {
      const api = web(c, { image: 'ghcr.io/acme/api:latest' }, 'api');
      web(c, { port: 70000 }, 'admin');
      new PublicIngress(c, 'web', { host: 'App.Example.com', routes: [{ path: '/', service: api, access: 'public', control: false }, { path: '/jobs', service: worker(c), access: 'public', control: false }] });
      postgres(c, { storage: { size: 'lots' } });
    });
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expectOneLine(problems, at('api', 'image', 'uses the tag "latest"'));
    expectOneLine(problems, at('admin', 'port', '70000 is not a port'));
    expectOneLine(problems, at('web', 'host', '"App.Example.com" is not a DNS-1123 subdomain'));
    expectOneLine(problems, at('web', 'routes[1].service', '"worker" has no Service'));
    expectOneLine(problems, at('db', 'storage.size', '"lots" is not a Kubernetes quantity'));
  });

  it('renders the real Peripheral overlays with no problem', () => {
    const rendered = renderedPlatforms();
    expect(rendered.envs).toEqual(['dev', 'demo', 'prod']);
    for (const env of rendered.envs) expect(rendered.objects.some((o) => o.env === env && o.platform === 'peripheral')).toBe(true);
  });

  it('throws from the real pipeline an InputError whose message has a count line and every problem line', () => {
    const { prod } = overlays;
    const broken = {
      ...overlays,
      prod: {
        ...prod,
        peripheral: {
          ...prod.peripheral,
          host: 'App.Peripheral.com',
          images: { ...prod.peripheral.images, backend: `${parseImage(prod.peripheral.images.backend)!.repository}:latest` },
          backup: { ...prod.peripheral.backup, schedule: '0 0 3 * * *' },
        },
      },
    };
    const error = inputErrorOf(() => render(broken, platforms));
    const { problems, message } = error;
    // The backend image is used by the backend and its migration: both report it.
    expectOneLine(problems, { env: 'prod', platform: 'peripheral', construct: 'peripheral/backend', field: 'image', says: 'uses the tag "latest"' });
    expectOneLine(problems, { env: 'prod', platform: 'peripheral', construct: 'peripheral/migrate', field: 'image', says: 'uses the tag "latest"' });
    expectOneLine(problems, { env: 'prod', platform: 'peripheral', construct: 'peripheral/web', field: 'host', says: '"App.Peripheral.com"' });
    expectOneLine(problems, { env: 'prod', platform: 'peripheral', construct: 'peripheral/db-backup', field: 'schedule', says: 'has 6 fields' });
    // Only prod is broken.
    for (const line of problems) expect(line).toMatch(/^prod\/peripheral\//);

    const [first, ...rest] = message.split('\n');
    expect(first).toBe(`${problems.length} problems in the input, nothing was written:`);
    expect(rest).toEqual(problems.map((p) => `  ${p}`));
    for (const p of problems) expect(message).toContain(p);
  });

  // -------------------------------------------------------------------------------------------
  // Names that other objects reuse, checks across charts, and probes that need a port.
  // -------------------------------------------------------------------------------------------

  it('fails when a WebService id starts with a digit (a Service name must start with a letter)', () => {
    expectOneLine(problemsOf((c) => void web(c, {}, '1api')), at('1api', 'name', '"1api"'));
  });

  it('fails when a BackupCronJob backs up a database of another platform', () => {
    const problems = problemsOf((c) => {
      const database = postgres(otherChart(c));
      new BackupCronJob(c, 'backup', { database, keepDays: 7, storage: { size: '5Gi' }, resources: SMALL });
    });
    expectOneLine(problems, at('backup', 'database', 'belongs to another platform or env'));
  });

  it('fails when an AppConfig id is longer than a label value allows', () => {
    const id = 'a'.repeat(70);
    expectOneLine(problemsOf((c) => void new AppConfig(c, id, { data: { LOG_LEVEL: 'info' } })), at(id, 'id', 'characters long'));
  });

  it('fails when a Singleton has a healthPath but no port', () => {
    expectOneLine(problemsOf((c) => void singleton(c, { port: undefined })), at('engine', 'healthPath', 'port'));
  });

  it('fails when a Worker health check is HTTP without a port', () => {
    expectOneLine(problemsOf((c) => void worker(c, { health: { http: '/healthz' } })), at('worker', 'health', 'port'));
  });

  it('fails once, against healthPath, when a health path has no leading slash', () => {
    expect(problemsOf((c) => void web(c, { healthPath: 'healthz' }))).toEqual([
      'test/demo/backend: healthPath: "healthz" is not an HTTP path; it must start with "/" and hold no spaces',
    ]);
  });
});
