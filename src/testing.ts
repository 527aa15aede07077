/**
 * Helpers for the tests of a repo that describes its platforms with this library: render a
 * platform in memory, find objects, and check what matters in a few words. They return data and
 * throw nothing but the library's own errors, so they work with any test runner.
 *
 *   import { renderPlatform, findObject, hardeningGaps, servicesWithoutPods } from 'trading-platform-manifests/testing';
 */
import { Environment } from './environment';
import { PlatformChart } from './platform-chart';
import { InputError } from './problems';
import { render, Rendered, RenderedObject } from './synth/render';

/** A small env for tests: `test`, pinned images required, an nginx ingress with a staging issuer. */
export function testEnv(overrides: Partial<Environment> = {}): Environment {
  return { name: 'test', ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt-staging' } }, ...overrides };
}

/**
 * Renders one platform called `platform` in one env through the real pipeline (input checks,
 * schema, fields, policy, capacity), in memory. Throws the library's InputError on bad input.
 */
export function renderPlatform(platform: string, build: (chart: PlatformChart) => void, env: Environment = testEnv()): Rendered {
  return render({ [env.name]: { env } }, [
    {
      name: platform,
      build: (scope, o) => {
        const chart = new PlatformChart(scope, platform, { env: o.env });
        build(chart);
        return chart;
      },
    },
  ]);
}

/** The problems a build reports, or `[]` when it renders. */
export function problemsOf(platform: string, build: (chart: PlatformChart) => void, env: Environment = testEnv()): readonly string[] {
  try {
    renderPlatform(platform, build, env);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
}

/** The one document of `kind` called `name` (optionally in one env and platform); throws when there is not exactly one. */
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

/** What makes a pod spec fall short of Pod Security "restricted" and the library's hardening; `[]` when nothing. */
export function hardeningGaps(spec: any): string[] {
  const gaps: string[] = [];
  const psc = spec.securityContext ?? {};
  if (psc.runAsNonRoot !== true) gaps.push('pod runAsNonRoot');
  if (psc.seccompProfile?.type !== 'RuntimeDefault') gaps.push('pod seccompProfile');
  if (!(psc.runAsUser > 0)) gaps.push('pod runAsUser');
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) gaps.push(`${c.name} allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) gaps.push(`${c.name} capabilities.drop`);
    if ((sc.capabilities?.add ?? []).some((x: string) => x !== 'NET_BIND_SERVICE')) gaps.push(`${c.name} capabilities.add`);
    if (sc.readOnlyRootFilesystem !== true) gaps.push(`${c.name} readOnlyRootFilesystem`);
    if (sc.runAsNonRoot !== true) gaps.push(`${c.name} runAsNonRoot`);
    if (sc.privileged) gaps.push(`${c.name} privileged`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) gaps.push(`${c.name} resources`);
  }
  return gaps;
}

/** Services that select no workload, or target a port no selected container declares, as `name: why`. */
export function servicesWithoutPods(objects: readonly RenderedObject[]): string[] {
  const workloads = objects.filter((o) => podSpecsOf(o.doc).length > 0);
  return objects
    .filter((o) => o.doc.kind === 'Service' && o.doc.spec?.selector)
    .flatMap((o) => {
      const svc = o.doc;
      const targets = workloads.filter((w) => w.env === o.env && w.platform === o.platform && Object.entries(svc.spec.selector).every(([k, v]) => podLabelsOf(w.doc)[k] === v));
      if (targets.length === 0) return [`${svc.metadata.name}: selects no pod`];
      const declared = (t: RenderedObject) =>
        podSpecsOf(t.doc).flatMap((spec) => spec.containers.flatMap((c: any) => (c.ports ?? []).flatMap((p: any) => [p.name, p.containerPort])));
      const ports = new Set(targets.flatMap(declared));
      return (svc.spec.ports ?? []).filter((p: any) => !ports.has(p.targetPort)).map((p: any) => `${svc.metadata.name}: port ${p.name} targets ${p.targetPort}, which no container declares`);
    });
}

/** The rendered files under a folder (`<env>/<platform>/`), as `{ path: content }`, for a snapshot. */
export function filesUnder(rendered: Rendered, folder: string): Record<string, string> {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return Object.fromEntries([...rendered.files].filter(([p]) => p.startsWith(prefix)));
}
