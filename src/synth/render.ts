import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoCdChart } from '../delivery/argocd';
import { externalSecrets, secretsPage, SecretUse, secretUses } from '../delivery/secrets';
import { protectData } from '../delivery/protection';
import { applySyncWaves } from '../delivery/waves';
import { budgetProblems, capacityOf, capacityTable } from '../capacity/capacity';
import { comparePage, envPage, PlatformDocs } from '../docs/env-page';
import { platformPage } from '../docs/topology';
import { Environment } from '../environment';
import { PlatformChart } from '../platform-chart';
import { runPolicy, WaiverInForce } from '../policy/engine';
import { InputError } from '../problems';
import { SecretKey } from '../config';
import { documentCredentialProblems, inputCredentialProblems } from '../credentials/documents';
import { apiServerProblems, EnvObject } from '../apiserver';
import { CheckedInput, inputProblems, SettingsSchema } from '../schema/check';
import { overlayProblems } from './inputs';
import { renderChecked } from './fields';
import { schemaProblems } from './validate';
import { toYaml } from './yaml';

/** What every overlay holds: the env, and whatever its platforms need. */
export interface OverlayBase {
  /** The env this overlay describes. */
  readonly env: Environment;
}

/** One platform of the app: how to build its chart for an overlay. */
export interface PlatformEntry<O extends OverlayBase> {
  /** Platform name; also the output folder under `dist/<env>/`. */
  readonly name: string;
  /**
   * Where the platform's settings sit in an overlay, and their schema: synth checks them before
   * it builds anything.
   * @default - the settings are not checked before the build
   */
  readonly settings?: SettingsSchema & {
    /** The key of the overlay the settings sit under: any key of the overlay but `env`. */
    readonly key: Exclude<keyof O, 'env'> & string;
  };
  /** Builds the platform's chart(s) in `scope` for one env. */
  readonly build: (scope: Construct, overlay: O) => PlatformChart;
}

/** A rendered object, for tests and summaries. */
export interface RenderedObject {
  /** Env name, e.g. `prod`. */
  readonly env: string;
  /** Platform name (the output folder), e.g. `peripheral`, or `argocd`. */
  readonly platform: string;
  /** Path under the output folder, `<env>/<platform>/<name>-<kind>.yaml`. */
  readonly path: string;
  /** The rendered document, as plain JSON. */
  readonly doc: Record<string, any>;
}

/** Everything one render produced, in memory. Nothing is written until it is complete and valid. */
export interface Rendered {
  /** Files by path under the output folder, in a stable order. */
  readonly files: ReadonlyMap<string, string>;
  /** Rendered objects in apply order per env and platform. */
  readonly objects: readonly RenderedObject[];
  /** Envs rendered, in order. */
  readonly envs: readonly string[];
  /** Policy waivers in force, for the summary. */
  readonly waivers: readonly WaiverInForce[];
}

/** Options of {@link render}. */
export interface RenderOptions {
  /**
   * Receives the milliseconds spent per phase (`build`, `validate`, `policy`, `apiserver`, `yaml`), added up
   * over every env and platform; for benchmarks.
   * @default - not measured
   */
  readonly timings?: Record<string, number>;
  /**
   * Envs to render.
   * @default - every env of the overlays
   */
  readonly envs?: readonly string[];
  /**
   * Adds the stack trace of a construct that crashed to the report (the app sets it from
   * `DEBUG=1`).
   * @default false
   */
  readonly debug?: boolean;
  /**
   * Other input files checked with the overlays before anything is built, e.g. release files:
   * their problems are reported with the overlays' in one error.
   * @default - none
   */
  readonly inputs?: readonly CheckedInput[];
}

/** Apply order of kinds: what others depend on comes first. Unknown kinds go last. */
const KIND_ORDER = [
  'Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap',
  'PersistentVolumeClaim', 'Service', 'StatefulSet', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
  'Job', 'CronJob', 'Ingress', 'ServiceMonitor', 'AppProject', 'Application',
];
// ExternalSecrets go with the foundation, before anything that reads their Secrets.
KIND_ORDER.splice(KIND_ORDER.indexOf('ConfigMap'), 0, 'ExternalSecret');
const kindRank = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
};

/** Each line of `text` indented under a problem line. */
const indent = (text: string): string => text.split('\n').map((l) => `      ${l}`).join('\n');

/** API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** Code-point order: the same on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Apply order of the objects of one folder: by kind (see KIND_ORDER), then by name. */
export function applyOrder(a: { readonly kind: string; readonly name: string }, b: { readonly kind: string; readonly name: string }): number {
  return kindRank(a.kind) - kindRank(b.kind) || compare(a.kind, b.kind) || compare(a.name, b.name);
}

const HEADER = 'Rendered by trading-platform-manifests (npx cdk8s synth); edit the charts and overlays, not this file.';

/**
 * Renders every platform for every selected env in memory: builds the charts, collects every
 * input problem of every construct, validates every document against its schema, and lays out
 * the files. Throws one {@link InputError} listing every problem (prefixed with env and
 * construct path) when anything is wrong.
 */
export function render<O extends OverlayBase>(overlays: Readonly<Record<string, O>>, platforms: readonly PlatformEntry<O>[], options: RenderOptions = {}): Rendered {
  const known = Object.keys(overlays);
  const envs = options.envs ?? known;
  const problems: string[] = [];
  for (const e of envs) {
    if (!known.includes(e)) problems.push(`${e}: unknown env "${e}"; known envs: ${known.join(', ')}`);
  }
  if (problems.length > 0) throw new InputError(problems);
  // Every input against its schema first, every env at once: a misspelt key, a wrong type or a
  // missing safety setting fails the render, and nothing is built of an env or platform whose
  // input is wrong; the others are still built, so their problems are reported in the same run.
  const input = overlayProblems(overlays, platforms, envs);
  problems.push(...input.lines);
  for (const i of options.inputs ?? []) problems.push(...inputProblems(i.schema, i.value, i.where));

  const files = new Map<string, string>();
  const objects: RenderedObject[] = [];
  const waivers: WaiverInForce[] = [];
  const timings = options.timings;
  const time = <T>(phase: string, fn: () => T): T => {
    if (!timings) return fn();
    const start = performance.now();
    try {
      return fn();
    } finally {
      timings[phase] = (timings[phase] ?? 0) + performance.now() - start;
    }
  };
  /** Builds a chart and collects its construct problems; a throw becomes one line of the report. */
  const build = <C extends Chart>(where: string, envName: string, make: (app: App) => C): C | undefined => {
    const app = new App();
    try {
      const chart = time('build', () => make(app));
      const found: string[] = [];
      time('build', () => {
        for (const c of app.node.findAll()) for (const m of c.node.validate()) found.push(`${envName}/${c.node.path}: ${m}`);
        // An object renders with its closest chart: one inside a nested chart would be lost without a word.
        for (const c of chart.node.findAll()) if (c !== chart && c instanceof Chart) found.push(`${envName}/${c.node.path}: a chart inside the ${chart.node.id} chart, whose objects synth would leave out; create them in the ${chart.node.id} chart itself`);
      });
      problems.push(...found);
      return found.length > 0 ? undefined : chart;
    } catch (e) {
      // A construct threw instead of reporting: still one line of the report, marked as a bug.
      problems.push(`${where}: unexpected error (a bug in the chart or the library; DEBUG=1 shows where): ${(e as Error).message ?? e}`);
      if (options.debug) problems.push(String((e as Error).stack));
      return undefined;
    }
  };

  /** Renders a built chart into `<env>/<folder>/`: checks fields, waves, policy, schema, YAML, kustomization. */
  const emit = (chart: Chart, env: Environment, folder: string, namespace: string, platform: boolean): { docs: Array<Record<string, any>>; uses: SecretUse[] } => {
    const where = `${env.name}/${folder}`;
    const built = time('build', () =>
      chart.node
        .findAll()
        .filter((c): c is ApiObject => c instanceof ApiObject)
        .map((o) => {
          const { doc, problems: fieldProblems } = renderChecked(o);
          return { doc, fieldProblems, kind: String(doc.kind), name: String(doc.metadata.name), constructPath: o.node.path };
        })
    );
    // Derived objects: an ExternalSecret for every Secret the pods read, where the env uses ESO.
    const uses = secretUses(built.map((d) => d.doc));
    const derived = platform && env.externalSecrets
      ? externalSecrets(uses, env.externalSecrets, folder, namespace).map((doc) => ({
          doc: doc as unknown as Record<string, any>, fieldProblems: [] as string[], kind: doc.kind, name: String(doc.metadata?.name), constructPath: `${folder}/external-secrets/${doc.metadata?.name}`,
        }))
      : [];
    const docs = [...built, ...derived].sort(applyOrder);
    if (platform) protectData(docs.map((d) => d.doc));
    if (platform && env.argocd) applySyncWaves(docs.map((d) => d.doc));
    const budget = (chart as PlatformChart).budget;
    const capacity = platform ? capacityOf(docs.map((d) => d.doc)) : undefined;
    if (capacity) {
      const ns = docs.find((d) => d.kind === 'Namespace')?.doc;
      files.set(
        `${where}/README.md`,
        time('yaml', () =>
          platformPage({
            env: env.name,
            platform: folder,
            description: ns?.metadata?.annotations?.['trading-platform-manifests/description'],
            docs: docs.map((d) => d.doc),
            secrets: uses,
            capacity,
            budget,
            timeZone: (chart as PlatformChart).timeZone,
          }),
        ),
      );
    }
    if (budget && capacity) {
      const over = budgetProblems(capacity, budget);
      if (over.length > 0) {
        problems.push(`${where}: over budget: ${over.join('; ')}; raise the budget in the ${env.name} overlay or lower replicas or resources\n${indent(capacityTable(capacity, budget, 5))}`);
      }
    }
    const policy = time('policy', () => runPolicy(env, namespace, docs.map((d) => ({ env: env.name, platform: folder, constructPath: d.constructPath, doc: d.doc }))));
    problems.push(...policy.violations);
    // Credentials in the final documents (after JSON patches): errors, never waived.
    problems.push(...time('credentials', () => documentCredentialProblems(docs.map((d) => ({ env: env.name, constructPath: d.constructPath, doc: d.doc })))));
    waivers.push(...policy.waivers);
    const resources: string[] = [];
    for (const { doc, kind, name, constructPath, fieldProblems } of docs) {
      const file = `${name}-${kind.toLowerCase()}.yaml`;
      const path = `${where}/${file}`;
      for (const m of time('validate', () => schemaProblems(doc))) problems.push(`${where}/${kind}/${name}: ${m}`);
      for (const m of fieldProblems) problems.push(`${env.name}/${constructPath}: ${kind}/${name}: ${m}`);
      if (files.has(path)) {
        problems.push(`${where}/${kind}/${name}: renders to ${path}, which another object already uses; give one of them another name`);
        continue;
      }
      checked.push({ env: env.name, platform: folder, constructPath, doc });
      files.set(path, time('yaml', () => toYaml(doc, HEADER)));
      resources.push(file);
      objects.push({ env: env.name, platform: folder, path, doc });
    }
    files.set(`${where}/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }, HEADER));
    return { docs: docs.map((d) => d.doc), uses };
  };

  const allDocs: PlatformDocs[] = [];
  // The final documents of every platform (after patches and sync waves), for the API server's checks.
  const checked: EnvObject[] = [];
  for (const envName of envs) {
    const overlay = overlays[envName];
    if (input.failed.has(envName)) continue;
    if (overlay.env.name !== envName) {
      problems.push(`${envName}: env.name is "${overlay.env.name}"; it must equal the overlay's key "${envName}"`);
      continue;
    }
    const env = overlay.env;
    problems.push(...time('credentials', () => inputCredentialProblems(envName, overlay, (v) => v instanceof SecretKey)));
    const rendered: Array<{ name: string; namespace: string; docs: Array<Record<string, any>> }> = [];
    const secretPlatforms: Array<{ name: string; uses: ReturnType<typeof secretUses> }> = [];
    for (const platform of platforms) {
      const where = `${envName}/${platform.name}`;
      if (input.failed.has(where)) continue;
      const chart = build(where, envName, (app) => platform.build(app, overlay));
      if (!chart) continue;
      if (chart.node.id !== platform.name) {
        problems.push(`${where}: the chart's id is "${chart.node.id}"; it must equal the platform name`);
        continue;
      }
      const { docs, uses } = emit(chart, env, platform.name, chart.namespace, true);
      rendered.push({ name: platform.name, namespace: chart.namespace, docs });
      allDocs.push({ env: envName, platform: platform.name, docs });
      secretPlatforms.push({ name: platform.name, uses });
    }
    files.set(`${envName}/SECRETS.md`, secretsPage(envName, secretPlatforms, env.externalSecrets));
    if (env.argocd) {
      const kinds = new Set(rendered.flatMap((p) => p.docs.filter((d) => d.kind !== 'Namespace').map((d) => `${groupOf(d.apiVersion)}/${d.kind}`)));
      const settings = env.argocd;
      const chart = build(`${envName}/argocd`, envName, (app) => new ArgoCdChart(app, { env, settings, platforms: rendered, kinds: [...kinds] }));
      if (chart) emit(chart, env, 'argocd', chart.argoNamespace, false);
    }
  }
  problems.push(...time('apiserver', () => apiServerProblems(checked)));
  for (const envName of envs) files.set(`${envName}/README.md`, envPage(envName, allDocs));
  files.set('README.md', comparePage(allDocs, envs));
  if (problems.length > 0) throw new InputError(problems);
  return { files, objects, envs, waivers };
}
