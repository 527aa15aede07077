/**
 * What an env says about delivery: how Argo CD deploys it and where External Secrets Operator
 * reads its secret values. Types only, so the Environment can name them without importing the
 * code that renders them.
 */

/** How Argo CD deploys an env: where it reads `dist/` and where it deploys. */
export interface ArgoCdSettings {
  /** Git repository that holds `dist/` (this repository, or the GitOps repo it is copied to). */
  readonly repoURL: string;
  /** Branch, tag or commit Argo CD follows for this env: `main` (dev), `demo`, `prod` in the seeds' flow. */
  readonly targetRevision: string;
  /**
   * Namespace Argo CD runs in; Applications and the AppProject go there.
   * @default "argocd"
   */
  readonly namespace?: string;
  /**
   * Cluster the platforms deploy to, by API server URL.
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  readonly server?: string;
  /**
   * Sync the platforms' Applications automatically (with prune and self-heal) when the branch changes.
   * @default - true, except in a `production` env, where a person presses sync
   */
  readonly autoSync?: boolean;
  /**
   * The root Application `<env>-apps`, which syncs `dist/<env>/argocd` (the AppProjects and
   * Applications themselves). Required: it decides who can change how the env deploys.
   */
  readonly root: RootAppSettings;
}

/** The root Application of an env (app of apps) and the AppProject it lives in. */
export interface RootAppSettings {
  /**
   * Name of the root's own AppProject, rendered beside the env's: it may manage only
   * Applications and AppProjects, only in the Argo CD namespace, only from `repoURL`.
   * Not `default` and not the env's own project.
   */
  readonly project: string;
  /**
   * Sync `dist/<env>/argocd` automatically, with prune and self-heal. Must be false in a
   * `production` env: there a person reviews the change to the Argo CD objects and presses sync.
   */
  readonly autoSync: boolean;
}

/** Where External Secrets Operator reads an env's secret values. */
export interface ExternalSecretsSettings {
  /** The store ESO reads from. */
  readonly store: {
    /** `ClusterSecretStore` (one store for the cluster) or `SecretStore` (in each platform's namespace). */
    readonly kind: 'ClusterSecretStore' | 'SecretStore';
    /** The store's name. */
    readonly name: string;
  };
  /**
   * Prefix of every remote key: a Secret `<name>` of platform `<platform>` reads
   * `<path>/<platform>/<name>`, one property per key. Demo and prod point at different paths or stores.
   */
  readonly path: string;
  /**
   * How often ESO refreshes the values.
   * @default "1h"
   */
  readonly refreshInterval?: string;
}
