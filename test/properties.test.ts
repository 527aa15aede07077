import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppConfig, BackupCronJob, InputError, MigrationJob, PlatformChart, Postgres, PublicIngress, Redis, ScheduledRestart, secretKey, Singleton, WebService, Worker } from '../src';
import { prodTestEnv, renderChart, testEnv } from './helpers';
import { isCredentialName } from '../src/credentials/scan';
import { CONTROL_IMAGES, CONTROL_PATHS } from '../src/policy/control-routes';

/** Production runs images by digest (policy rule image-digest). */
const DIGEST = `sha256:${'d'.repeat(64)}`;

// Generated inputs: valid ones render documents that pass schema validation and every policy
// rule; invalid or arbitrary ones end in the library's InputError, never in another exception.

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
const version = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`);
const cpu = fc.integer({ min: 1, max: 4000 }).map((n) => `${n}m`);
// A request at most its limit: the API server refuses requests above limits.
const memoryPair = fc.tuple(fc.integer({ min: 16, max: 8192 }), fc.integer({ min: 16, max: 8192 })).map(([a, b]) => [`${Math.min(a, b)}Mi`, `${Math.max(a, b)}Mi`] as [string, string]);
const resources = fc.tuple(cpu, memoryPair).map(([c, [request, limit]]) => ({ requests: { cpu: c, memory: request }, limits: { memory: limit } }));
const profile = fc.oneof(
  fc.record({ replicas: fc.integer({ min: 1, max: 5 }), resources }),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 7 }), resources).map(([min, extra, r]) => ({
    autoscale: { minReplicas: min, maxReplicas: min + extra },
    resources: r,
  })),
);
const envVars = fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/).filter((k) => !isCredentialName(k)), fc.stringMatching(/^[a-z0-9 ._-]{0,20}$/), { maxKeys: 4 });

const service = fc.record({
  kind: fc.constantFrom('web', 'worker', 'singleton'),
  id: name,
  version,
  port: fc.integer({ min: 1, max: 65535 }),
  healthPath: fc.stringMatching(/^\/[a-z0-9/_-]{0,12}$/),
  profile,
  env: envVars,
  usesDb: fc.boolean(),
  egress: fc.boolean(),
});
type Spec = typeof service extends fc.Arbitrary<infer T> ? T : never;

// A service named like an admin tool (`admin`, `metrics`) would be a public control route, which
// the policy refuses in production: valid platforms here route none.
const controlName = (id: string) => [...CONTROL_IMAGES, ...CONTROL_PATHS].some((k) => k.pattern.test(id));
const platform = fc.uniqueArray(service, { minLength: 1, maxLength: 5, selector: (s) => s.id }).filter((list) => list.every((s) => s.id !== 'db' && s.id !== 'cache' && !controlName(s.id)));

function build(chart: PlatformChart, specs: readonly Spec[]): void {
  const db = new Postgres(chart, 'db', { image: `postgres:16.4@${DIGEST}`, storage: { size: '1Gi' }, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } }, password: secretKey('db', 'password') });
  new Redis(chart, 'cache', { image: `redis:7.4.1-alpine@${DIGEST}`, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } }, password: secretKey('cache', 'password') });
  const routable: Array<WebService | Singleton> = [];
  for (const s of specs) {
    const common = {
      image: `ghcr.io/acme/${s.id}:${s.version}@${DIGEST}`,
      env: s.env,
      uses: s.usesDb ? [db] : [],
      egress: s.egress ? [{ description: 'an API', ports: [443] }] : [],
    };
    if (s.kind === 'web') routable.push(new WebService(chart, s.id, { ...common, profile: s.profile, port: s.port, healthPath: s.healthPath }));
    else if (s.kind === 'worker') new Worker(chart, s.id, { ...common, profile: s.profile, health: { tcp: s.port } });
    else routable.push(new Singleton(chart, s.id, { ...common, profile: { resources: s.profile.resources }, port: s.port, healthPath: s.healthPath }));
  }
  if (routable.length > 0) new PublicIngress(chart, 'web', { host: 'app.example.com', routes: routable.map((r, i) => ({ path: i === 0 ? '/' : `/${r.name}`, service: r, access: 'public' as const, control: false })) });
}

/** Runs `fn` and says how it ended: rendered, the library's InputError, or anything else (a bug). */
function outcome(fn: () => unknown): 'rendered' | 'input-error' | string {
  try {
    fn();
    return 'rendered';
  } catch (e) {
    if (e instanceof InputError) {
      for (const p of e.problems) if (!p.startsWith('test/')) return `problem without env: ${p}`;
      for (const p of e.problems) if (p.includes('unexpected error')) return `crash reported as a problem: ${p}`;
      return 'input-error';
    }
    return `crash: ${(e as Error).stack ?? e}`;
  }
}

describe('generated platforms', () => {
  it('valid ones render, pass schema validation and every policy rule, in dev and in production', () => {
    fc.assert(
      fc.property(platform, fc.boolean(), (specs, production) => {
        expect(outcome(() => renderChart((c) => build(c, specs), production ? prodTestEnv() : testEnv()))).toBe('rendered');
      }),
      { numRuns: 60 },
    );
  });

  const bad: Array<[string, (s: Spec) => Spec]> = [
    ['port out of range', (s) => ({ ...s, port: 70000 })],
    ['moving tag', (s) => ({ ...s, version: 'latest' })],
    ['bad name', (s) => ({ ...s, id: `${s.id}_X` })],
    ['requests above limits', (s) => ({ ...s, profile: { ...s.profile, resources: { requests: { cpu: '10m', memory: '2048Mi' }, limits: { memory: '1024Mi' } } } })],
    ['bad quantity', (s) => ({ ...s, profile: { ...s.profile, resources: { ...s.profile.resources, requests: { cpu: 'lots', memory: '1Gi' } } } })],
    ['no resources', (s) => ({ ...s, profile: { replicas: 1 } as never })],
    ['literal secret', (s) => ({ ...s, env: { ...s.env, API_TOKEN: 'abc123' } })],
    ['health path', (s) => ({ ...s, healthPath: 'health' })],
  ];

  it('invalid ones end in the library\'s error, naming env and construct', () => {
    fc.assert(
      fc.property(platform, fc.nat(), fc.constantFrom(...bad), (specs, which, [, breakIt]) => {
        const broken = specs.map((s, i) => (i === which % specs.length ? breakIt(s) : s));
        // A worker has no health path to break: it may still render; anything else must be an InputError.
        const result = outcome(() => renderChart((c) => build(c, broken)));
        expect(['input-error', 'rendered']).toContain(result);
      }),
      { numRuns: 80 },
    );
  });

  it('arbitrary values in any prop never crash the library', () => {
    const junk = fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.object());
    fc.assert(
      fc.property(
        fc.record({ image: junk, port: junk, healthPath: junk, profile: junk, env: junk, uses: junk, egress: junk, writable: junk, metrics: junk, user: junk }),
        fc.constantFrom('web', 'worker', 'singleton', 'postgres', 'redis', 'ingress', 'migration', 'backup', 'config', 'restart'),
        (props, kind) => {
          const result = outcome(() =>
            renderChart((c) => {
              const p = props as any;
              if (kind === 'web') new WebService(c, 'api', p);
              else if (kind === 'worker') new Worker(c, 'api', { ...p, health: p.healthPath });
              else if (kind === 'singleton') new Singleton(c, 'api', p);
              else if (kind === 'postgres') new Postgres(c, 'db', { image: p.image, storage: p.profile, resources: p.env, password: p.uses });
              else if (kind === 'redis') new Redis(c, 'cache', { image: p.image, resources: p.profile, password: p.env, storage: p.egress });
              else if (kind === 'ingress') new PublicIngress(c, 'web', { host: p.image, routes: p.uses });
              else if (kind === 'migration') new MigrationJob(c, 'migrate', { image: p.image, command: p.uses, resources: p.profile, env: p.env, database: p.egress, deadlineSeconds: p.port });
              else if (kind === 'backup') new BackupCronJob(c, 'backup', { database: p.uses, schedule: p.healthPath, timeZone: p.image, keepDays: p.port, storage: p.profile, resources: p.env });
              else if (kind === 'config') new AppConfig(c, 'settings', { data: p.env });
              else new ScheduledRestart(c, 'restart', { target: p.uses, schedule: p.healthPath, image: p.image, timeZone: p.env, resources: p.profile });
            }),
          );
          expect(['input-error', 'rendered'], String(result)).toContain(result);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
