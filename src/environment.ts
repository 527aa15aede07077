/**
 * What an overlay fills in: the settings of one environment that every platform shares (the
 * profiles charts take per env, resources, replicas, storage, are in profiles.ts).
 *
 * Each type is inferred from its schema: `tsc` checks an overlay against the type, and synth
 * checks the same overlay against the schema at run time, so a misspelt or unknown key, or a
 * wrong type, fails both (esbuild, which runs synth, does not type-check). Settings that decide
 * safety are required or default to the safe side; see {@link environmentSchema}.
 */
import * as z from 'zod/mini';
import { argoCdSchema, externalSecretsSchema } from './delivery-settings';
import { parseImage } from './image';
import { ingressSchema } from './ingress-settings';
import { objectStorageSchema } from './object-storage-settings';
import { labels, list, names, strict } from './schema/shape';

export { externalAuthSchema, ingressSchema, tlsIssuerSchema } from './ingress-settings';
export type { ExternalAuth, IngressSettings, TlsIssuer } from './ingress-settings';

// The per-env profiles charts take (resources, replicas, storage, budget) live in profiles.ts.
export { autoscaleSchema, budgetSchema, resourcesSchema, storageProfileSchema, workloadProfileSchema } from './profiles';
export type { Autoscale, Budget, Resources, StorageProfile, WorkloadProfile } from './profiles';

/** The cluster's prometheus-operator. */
export const monitoringSchema = strict({
  /** Namespace Prometheus runs in. */
  namespace: z.string(),
  /**
   * Labels of the Prometheus pods; NetworkPolicies admit scrapes only from them. Required in a
   * production env.
   * @default - every pod of `namespace`
   */
  podLabels: z.optional(labels),
  /**
   * Labels Prometheus selects ServiceMonitors by (its `serviceMonitorSelector`), e.g.
   * `{ release: "kube-prometheus-stack" }`.
   * @default - none
   */
  serviceMonitorLabels: z.optional(labels),
  /** In-cluster URL of Prometheus' HTTP API, for dashboards (e.g. Grafana's data source). */
  prometheusUrl: z.string(),
  /** Port of that API, which NetworkPolicies open to dashboards. */
  prometheusPort: z.number(),
});
/** The cluster's prometheus-operator. */
export type MonitoringSettings = z.infer<typeof monitoringSchema>;

/** The cluster's DNS, for the `allow-dns` NetworkPolicy. */
export const dnsSchema = strict({
  /**
   * Namespace of the DNS pods.
   * @default "kube-system"
   */
  namespace: z.optional(z.string()),
  /**
   * Labels of the DNS pods.
   * @default { "k8s-app": "kube-dns" }
   */
  podLabels: z.optional(labels),
  /**
   * Extra address ranges that answer DNS, e.g. NodeLocal DNSCache's `169.254.20.10/32`.
   * @default - none
   */
  cidrs: z.optional(list(z.string())),
});
/** The cluster's DNS, for the `allow-dns` NetworkPolicy. */
export type DnsSettings = z.infer<typeof dnsSchema>;

/**
 * Settings of one environment that every platform shares.
 *
 * Safety settings fail closed: `production` is required (forgetting it never makes prod a
 * non-production env with automated sync and no disruption budgets); a production env must name
 * its `storageClass` (no PVC falls back to the cluster's default class and its reclaim policy),
 * the labels of the ingress controller's and Prometheus' pods (no NetworkPolicy admits a whole
 * namespace), and may not turn `requirePinnedImages` off.
 */
export const environmentSchema = strict({
  /**
   * Short name of the env (`dev`, `demo`, `prod`). Used in namespaces (`<platform>-<name>`)
   * and in output paths (`dist/<name>/<platform>/`). A DNS-1123 label.
   */
  name: z.string(),
  /**
   * Whether this env serves real users and money. Required, so that no env is taken for a test
   * env by omission. Policy then requires a PodDisruptionBudget for every Deployment that runs
   * more than one pod, Argo CD syncs only when a person presses sync (unless `argocd.autoSync`
   * says otherwise), and the settings above must be stated.
   */
  production: z.boolean(),
  /**
   * Whether every image must name one build: a version tag, a commit SHA tag or a digest.
   * `latest` is refused in every env regardless; a production env cannot turn this off.
   * @default true
   */
  requirePinnedImages: z.optional(z.boolean()),
  /**
   * Images a production env may run without a digest, each with the reason, keyed by the exact
   * reference of the release file (`redis:7.4.1-alpine`). A production env runs every other image
   * by digest (`name:tag@sha256:<64 hex>`, policy rule `image-digest`); a new tag needs a new waiver.
   * @default - none: every image of a production env carries a digest
   */
  imageDigestWaivers: z.optional(names(z.string())),
  /** How traffic reaches the platforms from outside. */
  ingress: ingressSchema,
  /**
   * StorageClass for every PersistentVolumeClaim unless a volume names its own. Required in a
   * production env.
   * @default - the cluster's default StorageClass
   */
  storageClass: z.optional(z.string()),
  /**
   * The cluster's Prometheus (prometheus-operator). When set, workloads that expose metrics get a
   * ServiceMonitor, and their NetworkPolicy admits Prometheus on the metrics port.
   * @default - no ServiceMonitors: the cluster has no prometheus-operator
   */
  monitoring: z.optional(monitoringSchema),
  /**
   * Addresses of the Kubernetes API server, the only destination of the few pods that call it
   * (scheduled restarts). NetworkPolicies match it by the address its endpoints have after the
   * `kubernetes` Service is translated, which differs per cluster: list them with
   * `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`. Each is an
   * IPv4 CIDR of /16 or narrower, outside loopback, link-local and the other special-purpose
   * ranges. Required: there is no safe guess.
   */
  apiServerCidrs: list(z.string()),
  /**
   * Where pods resolve names; every pod may reach it on port 53 (UDP and TCP).
   * @default - the `k8s-app: kube-dns` pods of `kube-system`
   */
  dns: z.optional(dnsSchema),
  /**
   * Argo CD: when set, synth renders `dist/<env>/argocd/` (an AppProject, one Application per
   * platform and a root Application) and sync waves on every object.
   * @default - no Argo CD objects
   */
  argocd: z.optional(argoCdSchema),
  /**
   * External Secrets Operator: when set, every Secret the pods read is rendered as an
   * ExternalSecret from this store, so nobody applies Secrets by hand.
   * @default - no ExternalSecrets: the Secrets listed in `dist/<env>/SECRETS.md` are created by hand
   */
  externalSecrets: z.optional(externalSecretsSchema),
  /** Where backups go: S3-compatible object storage outside the namespaces. @default - none: a backup is an error */
  objectStorage: z.optional(objectStorageSchema),
  /**
   * IANA time zone of every CronJob schedule in this env.
   * @default "UTC"
   */
  timeZone: z.optional(z.string()),
}).check(
  z.superRefine((env, ctx) => {
    if (env.production !== true) return;
    const need = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message, input: undefined });
    if (env.storageClass === undefined) need(['storageClass'], 'required in a production env: name the StorageClass of its volumes (e.g. one that retains them), so no claim falls back to the cluster default');
    if (env.requirePinnedImages === false) need(['requirePinnedImages'], 'false is not allowed in a production env: prod runs only pinned images');
    for (const [image, reason] of Object.entries(env.imageDigestWaivers ?? {})) {
      if (typeof reason === 'string' && reason.trim().length < 10) need(['imageDigestWaivers', image], `the reason for running "${image}" without a digest must say why, in 10 characters or more`);
      if (parseImage(image)?.digest) need(['imageDigestWaivers', image], `"${image}" already carries a digest; waive only a reference without one`);
    }
    // The schema's own checks passed, so the ingress is there.
    if (env.ingress.controllerPodLabels === undefined) need(['ingress', 'controllerPodLabels'], 'required in a production env: name the ingress controller pods, so NetworkPolicies admit no other pod of its namespace');
    const signInReplicas = env.ingress.auth?.replicas ?? 2;
    if (signInReplicas < 2) need(['ingress', 'auth', 'replicas'], `${signInReplicas} is too few in a production env: every authenticated request waits on the sign-in proxy, so run at least 2 (the default), with a PodDisruptionBudget`);
    if (env.monitoring && env.monitoring.podLabels === undefined) need(['monitoring', 'podLabels'], 'required in a production env: name the Prometheus pods, so NetworkPolicies admit no other pod of its namespace');
  }),
);
/** Settings of one environment that every platform shares. */
export type Environment = z.infer<typeof environmentSchema>;
