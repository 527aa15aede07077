import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { deleteWaivers } from '../app/waivers';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { expect } from 'vitest';
import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { BackupCronJob, InputError, PlatformChart, Postgres, render, secretKey, WebService } from '../src';
import { findObject, podLabelsOf, podSpecsOf, problemsOf as problemsOfPlatform, renderPlatform, testEnv } from '../src/testing';
import type { BackupCronJobProps, Environment, PlatformChartProps, PostgresProps, Rendered, RenderedObject } from '../src';
import type { EnvObject } from '../src/apiserver';
import type { ExternalAuth } from '../src/ingress-settings';

// The library's own testing helpers (the `@trading-platform/manifests/testing` entry point),
// used here as a user's repo would, plus what only this repo's tests need.
export { findObject, hardeningGaps, podLabelsOf, podSpecsOf, testEnv } from '../src/testing';

let committed: Rendered | undefined;

/**
 * The render of the real overlays and platforms, made once per test worker and shared by the
 * test files that only read it (vitest shares modules within a worker: `isolate: false`).
 * Tests that change an overlay render their own.
 */
export function renderedPlatforms(): Rendered {
  return (committed ??= render(overlays, platforms));
}

/**
 * A production env for tests: {@link testEnv} with what a production env must state (its
 * StorageClass, the ingress controller's pod labels).
 */
export function prodTestEnv(overrides: Partial<Environment> = {}): Environment {
  const env = testEnv();
  return testEnv({ production: true, storageClass: 'retained', ingress: { ...env.ingress, controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }, ...overrides });
}

/** Resources that pass every check. */
export const SMALL = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } as const;

/** A chart `demo` in an app of its own, outside the synth pipeline. */
export const chartIn = (env: Environment = testEnv(), props: Partial<PlatformChartProps> = {}) => new PlatformChart(new App(), 'demo', { env, ...props });
/** Every problem recorded in the app of `scope`, as `<construct path>: <field>: <message>`. */
export const problemsIn = (scope: IConstruct): string[] => scope.node.root.node.findAll().flatMap((c) => c.node.validate().map((m) => `${c.node.path}: ${m}`));
/** The one rendered document of `kind` called `name` in `chart`. */
export const find = (chart: PlatformChart, kind: string, name: string): Record<string, any> => {
  const found = (chart.toJson() as Record<string, any>[]).filter((d) => d.kind === kind && d.metadata?.name === name);
  expect(found, `${kind}/${name}`).toHaveLength(1);
  return found[0];
};

/** A Postgres that passes every check, with `over` applied. */
export function postgres(chart: PlatformChart, over: Partial<PostgresProps> = {}, id = 'db'): Postgres {
  return new Postgres(chart, id, { image: 'postgres:16.4', storage: { size: '1Gi' }, resources: SMALL, password: secretKey('db-secret', 'password'), ...over });
}

/** A valid database plus a backup of it, with `over` applied to the backup. */
export function backup(chart: PlatformChart, over: Partial<BackupCronJobProps> = {}, id = 'backup'): BackupCronJob {
  const database = postgres(chart);
  return new BackupCronJob(chart, id, { database, keepDays: 7, storage: { size: '5Gi' }, resources: SMALL, ...over });
}

/** Sign-in settings that pass every check, with an image pinned by digest as a production env wants. */
export const AUTH: ExternalAuth = {
  issuerUrl: 'https://login.example.com/realms/test',
  emailDomains: ['example.com'],
  image: `quay.io/oauth2-proxy/oauth2-proxy:v7.15.4@sha256:${'0123456789abcdef'.repeat(4)}`,
  credentials: { secret: 'oauth2-proxy' },
  resources: SMALL,
};

/** The office and VPN ranges of {@link routesEnv}. */
export const TEST_RANGES = ['192.0.2.0/24', '198.51.100.7/32'];

/** An env `name` where every access level can render: sign-in settings and internal source ranges, with `ingress` applied. */
export function routesEnv(name: string, ingress: Partial<Environment['ingress']> = {}): Environment {
  const base = testEnv();
  return testEnv({ name, ingress: { ...base.ingress, auth: AUTH, internalSourceRanges: TEST_RANGES, ...ingress } });
}

/** A WebService `id` of one replica on port 8080, running `image`: a backend an Ingress can route to. */
export function routedWeb(chart: PlatformChart, id: string, image = 'ghcr.io/acme/api:1.2.3'): WebService {
  return new WebService(chart, id, { image, profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz' });
}

/** Renders one platform `demo` built by `build` in one env, through the real pipeline. */
export function renderChart(build: (chart: PlatformChart) => void, env: Environment = testEnv()): Rendered & { find(kind: string, name: string): any } {
  const rendered = renderPlatform('demo', build, env);
  return { ...rendered, find: (kind: string, name: string) => findObject(rendered.objects, kind, name) };
}

/** The problems `build` reports in platform `demo`, or `[]` when it renders. */
export function problemsOf(build: (chart: PlatformChart) => void, env: Environment = testEnv()): readonly string[] {
  return problemsOfPlatform('demo', build, env);
}

/**
 * A scratch copy of the project (sources, overlays, dist/) sharing this checkout's node_modules,
 * for tests that run the real commands and may change files. Remove it with `fs.rmSync`.
 */
export function scratchCopy(): string {
  const repo = path.resolve(__dirname, '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-copy-'));
  // With their time stamps, and with the checkout's bundle of its own code (scripts/bundled.js),
  // which stays current in the copy until a test edits a source.
  for (const entry of ['src', 'app', 'charts', 'overlays', 'scripts', 'dist', 'cdk8s.yaml', 'package.json', 'package-lock.json', 'tsconfig.json', '.cache']) {
    if (fs.existsSync(path.join(repo, entry))) fs.cpSync(path.join(repo, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * In a scratch copy, deletes the digest waiver of `image` from `overlays/<env>.ts`, if it has one:
 * for a test that pins by hand an image nothing else of the env runs by tag (synth refuses a
 * waiver that waives nothing; `pin` and `promote` delete it themselves).
 */
export function dropDigestWaiver(dir: string, env: string, image: string): void {
  const file = path.join(dir, 'overlays', `${env}.ts`);
  const edited = deleteWaivers(fs.readFileSync(file, 'utf8'), [image]);
  if ('text' in edited) fs.writeFileSync(file, edited.text);
}

/**
 * Lookups over one platform's objects of a render made later (in `beforeAll`): every platform's
 * test file uses the same ones.
 */
export function inPlatform(get: () => Rendered, platform: string) {
  const objectsIn = (r: Rendered, env: string): RenderedObject[] => r.objects.filter((o) => o.env === env && o.platform === platform);
  const objectsOf = (env: string): RenderedObject[] => objectsIn(get(), env);
  const docsOf = (env: string, kind: string): any[] => objectsOf(env).filter((o) => o.doc.kind === kind).map((o) => o.doc);
  const find = (env: string, kind: string, name: string): any => findObject(get().objects, kind, name, env, platform);
  const named = (env: string, kind: string, name: string): any[] => docsOf(env, kind).filter((d) => d.metadata.name === name);
  const filesIn = (r: Rendered, env: string): Record<string, string> => Object.fromEntries([...r.files].filter(([p]) => p.startsWith(`${env}/${platform}/`)));
  return { objectsIn, objectsOf, docsOf, find, named, filesIn };
}

/** Whether every label of `selector` is on `labels` with the same value. */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/**
 * For each ServiceMonitor: the container ports it scrapes (endpoint port name → Service port →
 * targetPort → container port of the pods behind the Service) and the ports on which the
 * NetworkPolicies of those pods admit the env's Prometheus (`any` for a rule without ports).
 */
export function scrapeAccess(objects: readonly { doc: any }[], prometheus: { namespace: string; podLabels?: Record<string, string> }) {
  const docs = objects.map((o) => o.doc);
  return docs
    .filter((m) => m.kind === 'ServiceMonitor')
    .map((monitor) => {
      const scraped = new Set<number>();
      const admitted = new Set<number | 'any'>();
      for (const svc of docs.filter((d) => d.kind === 'Service' && selects(monitor.spec.selector.matchLabels, d.metadata.labels))) {
        for (const workload of docs.filter((d) => ['Deployment', 'StatefulSet'].includes(d.kind) && selects(svc.spec.selector, podLabelsOf(d)))) {
          const containerPorts = podSpecsOf(workload).flatMap((s: any) => s.containers.flatMap((c: any) => c.ports ?? []));
          for (const endpoint of monitor.spec.endpoints) {
            const port = svc.spec.ports.find((p: any) => p.name === endpoint.port);
            const target = containerPorts.find((p: any) => p.name === port?.targetPort || p.containerPort === port?.targetPort);
            if (target) scraped.add(target.containerPort);
          }
          const policies = docs.filter((d) => d.kind === 'NetworkPolicy' && d.spec.podSelector.matchLabels && selects(d.spec.podSelector.matchLabels, podLabelsOf(workload)));
          for (const rule of policies.flatMap((p) => p.spec.ingress ?? [])) {
            const fromPrometheus = (rule.from ?? []).some(
              (f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === prometheus.namespace && selects(f.podSelector?.matchLabels, prometheus.podLabels),
            );
            if (fromPrometheus) for (const p of rule.ports ?? [{ port: 'any' }]) admitted.add(p.port);
          }
        }
      }
      return { monitor: monitor.metadata.name as string, scraped: [...scraped].sort(), admitted: [...admitted].sort() };
    });
}

/** Runs `fn`, which must throw the library's InputError (one error listing every problem); returns it. */
export function inputErrorOf(fn: () => unknown): InputError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/** Every .ts file under the given folders of the repo, relative to it, sorted. */
export function sourceFiles(...dirs: string[]): string[] {
  const repo = path.resolve(__dirname, '..');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(repo, d), { withFileTypes: true })) {
      const rel = `${d}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** A TCP port on loopback that nothing listens on now, for a real server a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One path of an Ingress rule: the path, its pathType (Prefix unless given) and the backend Service (`web` unless given). */
export type IngressPath = readonly [path: string, pathType?: string, service?: string];

/**
 * A prod Ingress of `platform` as the env-wide checks meet it, with one rule per entry of `rules`
 * (host, or none for a rule without one, and its paths), each backend on port 80.
 */
export function ingressObject(platform: string, name: string, rules: ReadonlyArray<readonly [host: string | undefined, paths: readonly IngressPath[]]>): EnvObject {
  return {
    env: 'prod',
    platform,
    constructPath: `${platform}/${name}/Resource`,
    doc: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: `${platform}-prod` },
      spec: {
        ingressClassName: 'nginx',
        rules: rules.map(([host, paths]) => ({
          ...(host === undefined ? {} : { host }),
          http: { paths: paths.map(([path, pathType = 'Prefix', service = 'web']) => ({ path, pathType, backend: { service: { name: service, port: { number: 80 } } } })) },
        })),
      },
    },
  };
}
