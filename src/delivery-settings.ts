/**
 * What an env says about delivery: how Argo CD deploys it and where External Secrets Operator
 * reads its secret values. Schemas and the types inferred from them (synth checks every overlay
 * against the schemas), so the Environment can name them without importing the code that renders
 * them.
 */
import * as z from 'zod/mini';
import { strict } from './schema/shape';

/** The root Application of an env (app of apps) and the AppProject it lives in. */
export const rootAppSchema = strict({
  /**
   * Name of the root's own AppProject, rendered beside the env's: it may manage only
   * Applications and AppProjects, only in the Argo CD namespace, only from `repoURL`.
   * Not `default` and not the env's own project.
   */
  project: z.string(),
  /**
   * Sync `dist/<env>/argocd` automatically, with prune and self-heal. Must be false in a
   * `production` env: there a person reviews the change to the Argo CD objects and presses sync.
   */
  autoSync: z.boolean(),
});
/** The root Application of an env (app of apps) and the AppProject it lives in. */
export type RootAppSettings = z.infer<typeof rootAppSchema>;

/** How Argo CD deploys an env: where it reads `dist/` and where it deploys. */
export const argoCdSchema = strict({
  /** Git repository that holds `dist/` (this repository, or the GitOps repo it is copied to). */
  repoURL: z.string(),
  /** Branch, tag or commit Argo CD follows for this env: `main` (dev), `demo`, `prod` in the seeds' flow. */
  targetRevision: z.string(),
  /**
   * Namespace Argo CD runs in; Applications and the AppProject go there.
   * @default "argocd"
   */
  namespace: z.optional(z.string()),
  /**
   * Cluster the platforms deploy to, by API server URL.
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  server: z.optional(z.string()),
  /**
   * Sync the platforms' Applications automatically (with prune and self-heal) when the branch changes.
   * @default - true, except in a `production` env, where a person presses sync
   */
  autoSync: z.optional(z.boolean()),
  /**
   * The root Application `<env>-apps`, which syncs `dist/<env>/argocd` (the AppProjects and
   * Applications themselves). Required: it decides who can change how the env deploys.
   */
  root: rootAppSchema,
});
/** How Argo CD deploys an env: where it reads `dist/` and where it deploys. */
export type ArgoCdSettings = z.infer<typeof argoCdSchema>;

/** Where External Secrets Operator reads an env's secret values. */
export const externalSecretsSchema = strict({
  /** The store ESO reads from. */
  store: strict({
    /** `ClusterSecretStore` (one store for the cluster) or `SecretStore` (in each platform's namespace). */
    kind: z.literal(['ClusterSecretStore', 'SecretStore']),
    /** The store's name. */
    name: z.string(),
  }),
  /**
   * Prefix of every remote key: a Secret `<name>` of platform `<platform>` reads
   * `<path>/<platform>/<name>`, one property per key. Demo and prod point at different paths or stores.
   */
  path: z.string(),
  /**
   * How often ESO refreshes the values.
   * @default "1h"
   */
  refreshInterval: z.optional(z.string()),
});
/** Where External Secrets Operator reads an env's secret values. */
export type ExternalSecretsSettings = z.infer<typeof externalSecretsSchema>;
