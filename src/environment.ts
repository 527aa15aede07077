/**
 * The types an overlay fills in: what differs between dev, demo and prod.
 *
 * An overlay is a typed TypeScript value, so a misspelt field is a compile error. Everything a
 * chart needs that is the same in every env stays in the chart.
 */

import type { ArgoCdSettings, ExternalSecretsSettings } from './delivery-settings';

/** Settings of one environment that every platform shares. */
export interface Environment {
  /**
   * Short name of the env (`dev`, `demo`, `prod`). Used in namespaces (`<platform>-<name>`)
   * and in output paths (`dist/<name>/<platform>/`). A DNS-1123 label.
   */
  readonly name: string;

  /**
   * Whether this env serves real users and money: policy then also requires a
   * PodDisruptionBudget for every Deployment that runs more than one pod.
   * @default false
   */
  readonly production?: boolean;

  /**
   * Whether every image must name one build: a version tag, a commit SHA tag or a digest.
   * `latest` is refused in every env regardless.
   * @default true
   */
  readonly requirePinnedImages?: boolean;

  /** How traffic reaches the platforms from outside. */
  readonly ingress: IngressSettings;

  /**
   * StorageClass for every PersistentVolumeClaim unless a volume names its own.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;

  /**
   * The cluster's Prometheus (prometheus-operator). When set, workloads that expose metrics get a
   * ServiceMonitor, and their NetworkPolicy admits Prometheus on the metrics port.
   * @default - no ServiceMonitors: the cluster has no prometheus-operator
   */
  readonly monitoring?: MonitoringSettings;

  /**
   * Addresses of the Kubernetes API server, the only destination of the few pods that call it
   * (scheduled restarts). NetworkPolicies match it by the address its endpoints have after the
   * `kubernetes` Service is translated, which differs per cluster: list them with
   * `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`. Each is an
   * IPv4 CIDR of /16 or narrower, outside loopback, link-local and the other special-purpose
   * ranges. Required: there is no safe guess.
   */
  readonly apiServerCidrs: readonly string[];

  /**
   * Where pods resolve names; every pod may reach it on port 53 (UDP and TCP).
   * @default - the `k8s-app: kube-dns` pods of `kube-system`
   */
  readonly dns?: DnsSettings;

  /**
   * Argo CD: when set, synth renders `dist/<env>/argocd/` (an AppProject, one Application per
   * platform and a root Application) and sync waves on every object.
   * @default - no Argo CD objects
   */
  readonly argocd?: ArgoCdSettings;

  /**
   * External Secrets Operator: when set, every Secret the pods read is rendered as an
   * ExternalSecret from this store, so nobody applies Secrets by hand.
   * @default - no ExternalSecrets: the Secrets listed in `dist/<env>/SECRETS.md` are created by hand
   */
  readonly externalSecrets?: ExternalSecretsSettings;

  /**
   * IANA time zone of every CronJob schedule in this env.
   * @default "UTC"
   */
  readonly timeZone?: string;
}

/** The cluster's prometheus-operator. */
export interface MonitoringSettings {
  /** Namespace Prometheus runs in. */
  readonly namespace: string;
  /**
   * Labels of the Prometheus pods; NetworkPolicies admit scrapes only from them.
   * @default - every pod of `namespace`
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Labels Prometheus selects ServiceMonitors by (its `serviceMonitorSelector`), e.g.
   * `{ release: "kube-prometheus-stack" }`.
   * @default - none
   */
  readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
  /** In-cluster URL of Prometheus' HTTP API, for dashboards (e.g. Grafana's data source). */
  readonly prometheusUrl: string;
  /** Port of that API, which NetworkPolicies open to dashboards. */
  readonly prometheusPort: number;
}

/** The cluster's DNS, for the `allow-dns` NetworkPolicy. */
export interface DnsSettings {
  /**
   * Namespace of the DNS pods.
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Labels of the DNS pods.
   * @default { "k8s-app": "kube-dns" }
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Extra address ranges that answer DNS, e.g. NodeLocal DNSCache's `169.254.20.10/32`.
   * @default - none
   */
  readonly cidrs?: readonly string[];
}

/** The ingress controller and the TLS issuer of an env. */
export interface IngressSettings {
  /** `ingressClassName` of every Ingress, e.g. `nginx`. */
  readonly className: string;

  /** Namespace the ingress controller's pods run in; NetworkPolicies admit traffic from it. */
  readonly controllerNamespace: string;

  /**
   * Labels of the ingress controller's pods; NetworkPolicies admit traffic only from them.
   * @default - every pod of `controllerNamespace`
   */
  readonly controllerPodLabels?: Readonly<Record<string, string>>;

  /** cert-manager issuer that signs the TLS certificate of every Ingress. */
  readonly tlsIssuer: TlsIssuer;
}

/** A cert-manager issuer. */
export interface TlsIssuer {
  /** Name of the issuer, e.g. `letsencrypt-prod`. */
  readonly name: string;
  /**
   * `ClusterIssuer` (cluster-wide) or `Issuer` (in the platform's namespace).
   * @default "ClusterIssuer"
   */
  readonly kind?: 'ClusterIssuer' | 'Issuer';
}

/** CPU and memory of one container, in Kubernetes quantities. */
export interface Resources {
  /** What the scheduler reserves. Both are required. */
  readonly requests: {
    /** CPU, e.g. `250m`. */
    readonly cpu: string;
    /** Memory, e.g. `512Mi`. */
    readonly memory: string;
  };
  /**
   * The ceiling. `memory` is required (a leak must not take the node down); `cpu` is optional,
   * since a CPU limit throttles a latency-sensitive process before it helps anyone.
   */
  readonly limits: {
    /**
     * CPU ceiling, e.g. `1`.
     * @default - none: the container may use idle CPU of the node
     */
    readonly cpu?: string;
    /** Memory ceiling, e.g. `1Gi`; the container is killed above it. */
    readonly memory: string;
  };
}

/** Horizontal autoscaling on CPU. */
export interface Autoscale {
  /** Fewest replicas. At least 1. */
  readonly minReplicas: number;
  /** Most replicas. At least `minReplicas`. */
  readonly maxReplicas: number;
  /**
   * Average CPU utilisation (percent of requests) the autoscaler aims for.
   * @default 70
   */
  readonly cpuUtilization?: number;
}

/** How much of one workload runs in an env. */
export interface WorkloadProfile {
  /**
   * Replicas when not autoscaled.
   * @default 1
   */
  readonly replicas?: number;
  /** CPU and memory of the main container. Required: there is no safe guess. */
  readonly resources: Resources;
  /**
   * Autoscale on CPU instead of a fixed replica count.
   * @default - fixed `replicas`
   */
  readonly autoscale?: Autoscale;
}

/** A persistent volume of one env. */
export interface StorageProfile {
  /** Size as a quantity, e.g. `20Gi`. */
  readonly size: string;
  /**
   * StorageClass of the claim.
   * @default - the env's `storageClass`, else the cluster's default
   */
  readonly storageClass?: string;
}
