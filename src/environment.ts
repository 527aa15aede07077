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
import { objectStorageSchema } from './object-storage-settings';
import { labels, list, strict } from './schema/shape';

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

/** A cert-manager issuer. */
export const tlsIssuerSchema = strict({
  /** Name of the issuer, e.g. `letsencrypt-prod`. */
  name: z.string(),
  /**
   * `ClusterIssuer` (cluster-wide) or `Issuer` (in the platform's namespace).
   * @default "ClusterIssuer"
   */
  kind: z.optional(z.literal(['ClusterIssuer', 'Issuer'])),
});
/** A cert-manager issuer. */
export type TlsIssuer = z.infer<typeof tlsIssuerSchema>;

/**
 * ingress-nginx external auth in front of oauth2-proxy: the controller sends a subrequest to `url`
 * with the caller's cookies; 2xx passes the request, 401 sends the browser to `signin`.
 */
export const externalAuthSchema = strict({
  /**
   * oauth2-proxy's auth endpoint as the controller reaches it (`auth-url`), e.g.
   * `http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth`.
   */
  url: z.string(),
  /**
   * Where an unauthenticated browser signs in (`auth-signin`), e.g.
   * `https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri`.
   */
  signin: z.string(),
  /**
   * Headers of oauth2-proxy's answer passed to the service (`auth-response-headers`).
   * @default ["X-Auth-Request-User", "X-Auth-Request-Email"]
   */
  responseHeaders: z.optional(list(z.string())),
});
/** ingress-nginx external auth in front of oauth2-proxy. */
export type ExternalAuth = z.infer<typeof externalAuthSchema>;

/** The ingress controller and the TLS issuer of an env. */
export const ingressSchema = strict({
  /** `ingressClassName` of every Ingress, e.g. `nginx`. */
  className: z.string(),
  /** Namespace the ingress controller's pods run in; NetworkPolicies admit traffic from it. */
  controllerNamespace: z.string(),
  /**
   * Labels of the ingress controller's pods; NetworkPolicies admit traffic only from them.
   * Required in a production env.
   * @default - every pod of `controllerNamespace`
   */
  controllerPodLabels: z.optional(labels),
  /** cert-manager issuer that signs the TLS certificate of every Ingress. */
  tlsIssuer: tlsIssuerSchema,
  /**
   * The env's oauth2-proxy, which ingress-nginx asks before it passes a request of an
   * `authenticated` route (external auth). Required when a platform has such a route.
   * @default - none: an `authenticated` route is an error
   */
  auth: z.optional(externalAuthSchema),
  /**
   * Source ranges (CIDRs of the office and VPN) that may call an `internal` route; the controller
   * answers 403 to every other address. Required when a platform has such a route.
   * @default - none: an `internal` route is an error
   */
  internalSourceRanges: z.optional(list(z.string())),
});
/** The ingress controller and the TLS issuer of an env. */
export type IngressSettings = z.infer<typeof ingressSchema>;

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
    if (env.ingress?.controllerPodLabels === undefined) need(['ingress', 'controllerPodLabels'], 'required in a production env: name the ingress controller pods, so NetworkPolicies admit no other pod of its namespace');
    if (env.monitoring && env.monitoring.podLabels === undefined) need(['monitoring', 'podLabels'], 'required in a production env: name the Prometheus pods, so NetworkPolicies admit no other pod of its namespace');
  }),
);
/** Settings of one environment that every platform shares. */
export type Environment = z.infer<typeof environmentSchema>;
