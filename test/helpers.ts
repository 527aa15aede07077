import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Environment, InputError, PlatformChart, render, Rendered, RenderedObject } from '../src';

/** A small env for construct tests. */
export function testEnv(overrides: Partial<Environment> = {}): Environment {
  return {
    name: 'test',
    ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt-staging' } },
    ...overrides,
  };
}

/** Resources that pass every check. */
export const SMALL = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } as const;

/** Renders one platform `demo` built by `build` in one env, through the real pipeline (checks and schema validation included). */
export function renderChart(build: (chart: PlatformChart) => void, env: Environment = testEnv()): Rendered & { find(kind: string, name: string): any } {
  const rendered = render({ [env.name]: { env } }, [
    {
      name: 'demo',
      build: (scope, o) => {
        const chart = new PlatformChart(scope, 'demo', { env: o.env });
        build(chart);
        return chart;
      },
    },
  ]);
  const find = (kind: string, name: string) => findObject(rendered.objects, kind, name);
  return { ...rendered, find };
}

/** The problems `build` reports, or `[]` when it renders. */
export function problemsOf(build: (chart: PlatformChart) => void, env: Environment = testEnv()): readonly string[] {
  try {
    renderChart(build, env);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
}

/** The document of kind `kind` called `name`; fails when there is none. */
export function findObject(objects: readonly RenderedObject[], kind: string, name: string, env?: string, platform?: string): any {
  const found = objects.filter(
    (o) => o.doc.kind === kind && o.doc.metadata?.name === name && (env === undefined || o.env === env) && (platform === undefined || o.platform === platform),
  );
  if (found.length !== 1) throw new Error(`expected one ${kind} "${name}"${env ? ` in ${env}` : ''}${platform ? `/${platform}` : ''}, found ${found.length}`);
  return found[0].doc;
}

/** Every pod spec of a document (Deployment, StatefulSet, Job, CronJob), or `[]`. */
export function podSpecsOf(doc: any): any[] {
  switch (doc.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'Job':
      return [doc.spec.template.spec];
    case 'CronJob':
      return [doc.spec.jobTemplate.spec.template.spec];
    default:
      return [];
  }
}

/** Pod template labels of a workload document. */
export function podLabelsOf(doc: any): Record<string, string> {
  return doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.metadata.labels : doc.spec.template.metadata.labels;
}

/** Asserts-friendly list of what makes a pod spec fall short of PSS "restricted" plus our own hardening. */
export function hardeningGaps(spec: any): string[] {
  const gaps: string[] = [];
  const psc = spec.securityContext ?? {};
  if (psc.runAsNonRoot !== true) gaps.push('pod runAsNonRoot');
  if (psc.seccompProfile?.type !== 'RuntimeDefault') gaps.push('pod seccompProfile');
  if (!(psc.runAsUser > 0)) gaps.push('pod runAsUser');
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) gaps.push(`${c.name} allowPrivilegeEscalation`);
    if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]') gaps.push(`${c.name} capabilities.drop`);
    if (sc.readOnlyRootFilesystem !== true) gaps.push(`${c.name} readOnlyRootFilesystem`);
    if (sc.runAsNonRoot !== true) gaps.push(`${c.name} runAsNonRoot`);
    if (sc.privileged) gaps.push(`${c.name} privileged`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) gaps.push(`${c.name} resources`);
  }
  return gaps;
}

/**
 * A scratch copy of the project (sources, overlays, dist/) sharing this checkout's node_modules,
 * for tests that run the real commands and may change files. Remove it with `fs.rmSync`.
 */
export function scratchCopy(): string {
  const repo = path.resolve(__dirname, '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-copy-'));
  for (const entry of ['src', 'charts', 'overlays', 'scripts', 'dist', 'cdk8s.yaml', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    fs.cpSync(path.join(repo, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
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
