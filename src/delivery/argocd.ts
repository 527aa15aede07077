import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { dnsLabel, show } from '../checks';
import { Environment } from '../environment';
import { LABELS, MANAGED_BY } from '../platform-chart';
import { Problems } from '../problems';
import { ArgoCdSettings } from '../delivery-settings';

/** Props of {@link ArgoCdChart}. */
export interface ArgoCdChartProps {
  readonly env: Environment;
  readonly settings: ArgoCdSettings;
  /** Platforms of the env, each with its namespace. */
  readonly platforms: ReadonlyArray<{ readonly name: string; readonly namespace: string }>;
  /** `group/Kind` of every namespaced object the platforms render, for the AppProject's allow-list. */
  readonly kinds: readonly string[];
}

/** The cluster Argo CD runs in, as Argo CD names it: where its own objects live. */
const IN_CLUSTER = 'https://kubernetes.default.svc';
const DEFAULT_SERVER = IN_CLUSTER;

/**
 * The Argo CD objects of one env, rendered into `dist/<env>/argocd/` (app of apps):
 * - an AppProject `<env>` that allows exactly this repository, exactly the env's platform
 *   namespaces on the one cluster, the Namespace kind cluster-wide, and only the kinds the
 *   platforms render;
 * - an Application `<platform>-<env>` per platform, reading `dist/<env>/<platform>` at the env's
 *   revision; automated with prune and self-heal unless the env is production. No
 *   `CreateNamespace`: each platform renders its own Namespace (with its Pod Security labels);
 * - a root Application `<env>-apps` reading `dist/<env>/argocd` itself, so adding a platform is a
 *   commit, not a kubectl command. It lives in its own AppProject (`root.project`), which may
 *   manage only Applications and AppProjects in Argo CD's namespace, from this repository; its
 *   sync policy comes from the overlay, and a production env's root never syncs on its own.
 */
export class ArgoCdChart extends Chart {
  /** Namespace of the Argo CD objects. */
  public readonly argoNamespace: string;

  public constructor(scope: Construct, props: ArgoCdChartProps) {
    super(scope, 'argocd', { disableResourceNameHashes: true });
    const s = props.settings;
    const env = props.env;
    this.argoNamespace = s.namespace ?? 'argocd';
    const server = s.server ?? DEFAULT_SERVER;
    const automated = s.autoSync ?? !env.production;

    const problems = new Problems();
    problems.check('env.argocd.repoURL', typeof s.repoURL === 'string' && /^(https:\/\/|ssh:\/\/|git@)\S+$/.test(s.repoURL) ? undefined : `${show(s.repoURL)} is not a git URL (https://…, ssh://… or git@…)`);
    problems.check('env.argocd.targetRevision', typeof s.targetRevision === 'string' && s.targetRevision.length > 0 ? undefined : `${show(s.targetRevision)} is not a branch, tag or commit`);
    problems.check('env.argocd.namespace', dnsLabel(this.argoNamespace));
    problems.check('env.argocd.server', typeof server === 'string' && server.startsWith('https://') ? undefined : `${show(server)} is not an https:// API server URL`);
    const rootName = s.root?.project;
    problems.check(
      'env.argocd.root.project',
      dnsLabel(rootName) ??
        (rootName === 'default' || rootName === env.name
          ? `${show(rootName)} is shared with ${rootName === 'default' ? 'every Application Argo CD has' : "the env's platforms"}; the root needs a project of its own, e.g. "${env.name}-apps"`
          : undefined),
    );
    problems.check(
      'env.argocd.root.autoSync',
      typeof s.root?.autoSync !== 'boolean'
        ? `${show(s.root?.autoSync)} given; it is required: true or false (false in a production env)`
        : env.production && s.root.autoSync
          ? `true in a production env; its root Application never prunes or self-heals on its own: set false, and a person presses sync after reviewing dist/${env.name}/argocd`
          : undefined,
    );
    if (problems.report(this)) return;

    const labels = { [LABELS.partOf]: 'argocd', [LABELS.managedBy]: MANAGED_BY };
    const meta = (name: string, component: string) => ({ name, namespace: this.argoNamespace, labels: { ...labels, [LABELS.name]: name, [LABELS.component]: component } });
    const syncPolicy = (auto: boolean): IApplication['spec']['syncPolicy'] => ({
      ...(auto ? { automated: { prune: true, selfHeal: true } } : {}),
      syncOptions: ['PruneLast=true'],
      retry: { limit: 3, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
    });

    const project: IAppProject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: meta(env.name, 'project'),
      spec: {
        description: `Platforms of the ${env.name} env, as rendered by trading-platform-manifests`,
        sourceRepos: [s.repoURL],
        destinations: props.platforms.map((p) => ({ server, namespace: p.namespace })),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: [...props.kinds].sort().map((gk) => {
          const [group, kind] = gk.split('/');
          return { group, kind };
        }),
      },
    };
    new ApiObject(this, 'project', { apiVersion: project.apiVersion, kind: project.kind, metadata: project.metadata, spec: project.spec });

    // The root's own project: Applications and AppProjects, in Argo CD's namespace of the cluster
    // Argo CD runs in, from this repository. No cluster-scoped kind, no Secret or ConfigMap (Argo
    // CD's own settings, repository and cluster credentials live there), no other namespace.
    const rootProject: IAppProject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: meta(s.root.project, 'project'),
      spec: {
        description: `The ${env.name} env's Argo CD objects (app of apps), as rendered by trading-platform-manifests`,
        sourceRepos: [s.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: this.argoNamespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [
          { group: 'argoproj.io', kind: 'AppProject' },
          { group: 'argoproj.io', kind: 'Application' },
        ],
      },
    };
    new ApiObject(this, 'root-project', { apiVersion: rootProject.apiVersion, kind: rootProject.kind, metadata: rootProject.metadata, spec: rootProject.spec });

    for (const p of props.platforms) {
      const app: IApplication = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        // Deleting the Application (the root prunes it when a platform leaves the overlay) deletes
        // its workloads too, so no engine keeps trading unmanaged; Namespaces and PVCs carry
        // Delete=false (see protection.ts) and stay.
        metadata: { ...meta(`${p.name}-${env.name}`, 'application'), finalizers: ['resources-finalizer.argocd.argoproj.io'] },
        spec: {
          project: env.name,
          source: { repoURL: s.repoURL, targetRevision: s.targetRevision, path: `dist/${env.name}/${p.name}` },
          destination: { server, namespace: p.namespace },
          syncPolicy: syncPolicy(automated),
        },
      };
      new ApiObject(this, `app-${p.name}`, { apiVersion: app.apiVersion, kind: app.kind, metadata: app.metadata, spec: app.spec });
    }

    const root: IApplication = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: meta(`${env.name}-apps`, 'app-of-apps'),
      spec: {
        project: s.root.project,
        source: { repoURL: s.repoURL, targetRevision: s.targetRevision, path: `dist/${env.name}/argocd` },
        destination: { server: IN_CLUSTER, namespace: this.argoNamespace },
        syncPolicy: syncPolicy(s.root.autoSync),
      },
    };
    new ApiObject(this, 'root', { apiVersion: root.apiVersion, kind: root.kind, metadata: root.metadata, spec: root.spec });
  }
}
