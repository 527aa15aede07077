/**
 * Helpers for the tests of a repo that describes its platforms with this library: render a
 * platform in memory, find objects, and check what matters in a few words. They return data and
 * throw nothing but the library's own errors, so they work with any test runner.
 *
 *   import { renderPlatform, findObject, hardeningGaps, servicesWithoutPods } from '@trading-platform/manifests/testing';
 */
import { containersOf, PodIndex } from './documents';
import { Environment } from './environment';
import type { ObjectStorageSettings } from './object-storage-settings';
import { PlatformChart } from './platform-chart';
import { InputError } from './problems';
import { resourceProblems, restrictedProblems, writableRootProblems } from './policy/pod-security';
import { serviceProblems } from './policy/wiring';
import { render, Rendered, RenderedObject } from './synth/render';

export { podLabelsOf, podSpecsOf } from './documents';
export type { Doc } from './documents';

/** Object storage settings that pass every check, for test envs. */
const TEST_OBJECT_STORAGE: ObjectStorageSettings = {
  endpoint: 'https://s3.example.com',
  region: 'us-east-1',
  bucket: 'backups',
  prefix: 'test',
  credentials: { secret: 'backup-storage' },
  image: 'rclone/rclone:1.68.2',
};

/** A small env for tests: `test`, not production, pinned images required, an nginx ingress with a staging issuer, object storage. */
export function testEnv(overrides: Partial<Environment> = {}): Environment {
  return {
    name: 'test',
    production: false,
    ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt-staging' } },
    apiServerCidrs: ['10.0.0.1/32'],
    objectStorage: TEST_OBJECT_STORAGE,
    ...overrides,
  };
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

/**
 * What makes a pod spec fall short of Pod Security "restricted" and the library's hardening, one
 * line each; `[]` when nothing. The policy's own checks (pss-restricted, read-only-root,
 * resources), plus what the library sets beyond them: runAsNonRoot, a non-zero runAsUser and the
 * RuntimeDefault seccomp profile on the pod itself, and runAsNonRoot on every container.
 */
export function hardeningGaps(spec: any): string[] {
  const psc = spec.securityContext ?? {};
  const gaps = [...restrictedProblems(spec), ...writableRootProblems(spec), ...resourceProblems(spec)];
  if (psc.runAsNonRoot !== true) gaps.push('pod does not set runAsNonRoot');
  if (psc.seccompProfile?.type !== 'RuntimeDefault') gaps.push('pod has no RuntimeDefault seccomp profile');
  if (!(psc.runAsUser > 0)) gaps.push('pod does not set a non-zero runAsUser');
  for (const { c } of containersOf(spec)) if (c.securityContext?.runAsNonRoot !== true) gaps.push(`${c.name} does not set runAsNonRoot itself`);
  return gaps;
}

/**
 * Services that select no workload of their env and platform, or target a port no selected
 * container declares, as `name: why` (the policy's service-selects-pods check).
 */
export function servicesWithoutPods(objects: readonly RenderedObject[]): string[] {
  const groups = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    const key = `${o.env}/${o.platform}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()].flatMap((group) => {
    const pods = new PodIndex(group);
    return group.filter((o) => o.doc.kind === 'Service' && o.doc.spec?.selector).flatMap((o) => serviceProblems(o.doc, pods).map((why) => `${o.doc.metadata.name}: ${why}`));
  });
}

/** The rendered files under a folder (`<env>/<platform>/`), as `{ path: content }`, for a snapshot. */
export function filesUnder(rendered: Rendered, folder: string): Record<string, string> {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return Object.fromEntries([...rendered.files].filter(([p]) => p.startsWith(prefix)));
}
