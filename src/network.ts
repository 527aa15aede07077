import { Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { asList, dnsLabel, ipv4Cidr, port as portCheck, show } from './checks';
import { SPECIAL_RANGES } from './ipv4';
import { PlatformChart } from './platform-chart';

/** Outbound traffic to something outside the cluster, allowed explicitly. */
export interface ExternalEgress {
  /** What it is for, e.g. `exchange API (Binance)`; rendered as an annotation on the policy. */
  readonly description: string;
  /** Destination TCP ports. */
  readonly ports: readonly number[];
  /**
   * Destination address ranges. NetworkPolicies cannot name hosts: where the provider publishes
   * no stable ranges, the default admits the public internet and nothing private.
   * A range that reaches a private, shared, loopback or link-local (cloud metadata) address is a
   * policy violation unless waived with a reason (`waive(scope, 'egress-internal', reason)`).
   * @default - 0.0.0.0/0 except every IANA special-purpose range ({@link NOT_INTERNET})
   */
  readonly cidrs?: readonly string[];
}

/** Outbound traffic to pods of another namespace of the cluster (e.g. Prometheus), allowed explicitly. */
export interface ClusterEgress {
  /** What it is for; rendered as an annotation on the policy. */
  readonly description: string;
  /** Destination TCP ports (pod ports). */
  readonly ports: readonly number[];
  /** Namespace of the destination pods. */
  readonly namespace: string;
  /**
   * Labels of the destination pods.
   * @default - every pod of `namespace`
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Traffic a workload may send beyond its own platform. */
export type Egress = ExternalEgress | ClusterEgress;

/**
 * What "the internet" excludes: every IANA special-purpose IPv4 block (private, shared, loopback,
 * link-local with the cloud metadata endpoint, documentation, benchmarking, multicast, reserved...),
 * listed with its source in `ipv4.ts`.
 */
export const NOT_INTERNET: readonly string[] = SPECIAL_RANGES.map((r) => r.cidr);

/** HTTPS (443) to the public internet, for one declared purpose. */
export function httpsEgress(description: string): ExternalEgress {
  return { description, ports: [443] };
}

/** Something other workloads can connect to: it has a pod selector and service ports. */
export interface Connectable {
  /** The pods, as a network peer. */
  readonly peer: NetworkPeer;
  /** Pod ports clients connect to (what NetworkPolicies match). */
  readonly connectPorts: readonly number[];
}

/**
 * Checks what a workload or Job connects to (`uses`): each entry must accept connections (a
 * NetworkPolicy rule without ports would open every port) and belong to `chart`. An entry that
 * failed its own checks passes: it reported its problems, and nothing connects to it.
 * Returns `[field, message]` pairs, fields `uses[<index>]`.
 */
export function usesProblems(uses: readonly Connectable[] | undefined, chart: PlatformChart): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  asList(uses).forEach((u, i) => {
    if (!u || typeof u !== 'object') out.push([`uses[${i}]`, 'is missing']);
    else if (u.peer === undefined && Array.isArray(u.connectPorts)) return;
    else if (!(u.peer instanceof NetworkPeer) || u.connectPorts.length === 0) out.push([`uses[${i}]`, `${show((u as { name?: unknown }).name ?? u)} accepts no connections (it has no port)`]);
    else if (PlatformChart.of(u.peer) !== chart) out.push([`uses[${i}]`, `"${u.peer.name}" belongs to another platform or env`]);
  });
  return out;
}

/** Checks a list of egress rules. */
export function egressProblems(rules: readonly Egress[] | undefined): string[] {
  const out: string[] = [];
  if (rules !== undefined && !Array.isArray(rules)) return [`expected a list, got ${show(rules)}`];
  for (const r of rules ?? []) {
    if (r === null || typeof r !== 'object') {
      out.push(`${show(r)} is not an egress rule; use httpsEgress(description) or { description, ports }`);
      continue;
    }
    if (typeof r.description !== 'string' || r.description.length === 0) out.push(`${show(r)} needs a description of what it reaches`);
    // Only a list is read: ports given as one number are a problem to report, not to iterate.
    const ports: unknown = r.ports;
    if (!Array.isArray(ports) || ports.length === 0) out.push(`"${r.description}" needs at least one port`);
    for (const p of Array.isArray(ports) ? ports : []) {
      const m = portCheck(p);
      if (m) out.push(`"${r.description}": ${m}`);
    }
    const { namespace } = r as Partial<ClusterEgress>;
    if (namespace !== undefined) {
      const m = dnsLabel(namespace);
      if (m) out.push(`"${r.description}": namespace ${m}`);
    }
    const { cidrs } = r as ExternalEgress;
    if (cidrs !== undefined && !Array.isArray(cidrs)) out.push(`"${r.description}": cidrs must be a list`);
    for (const c of Array.isArray(cidrs) ? cidrs : []) {
      const m = ipv4Cidr(c);
      if (m) out.push(`"${r.description}": ${m}`);
    }
  }
  return out;
}

/** Pods of another namespace, by namespace name and optional labels. */
export interface NamespacePeer {
  /** The other namespace's name. */
  readonly namespace: string;
  /**
   * Labels that pick the pods of that namespace.
   * @default - every pod of the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

function namespacePeer(n: NamespacePeer): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n.namespace } },
    podSelector: n.podLabels ? { matchLabels: { ...n.podLabels } } : undefined,
  };
}

type PeerPorts = Map<string, { peer: NetworkPeer; ports: Set<number> }>;

/**
 * The pods of one workload as seen by NetworkPolicies. Each peer renders one NetworkPolicy named
 * after its workload that admits exactly its declared clients and lets it reach exactly its
 * declared servers and external endpoints. Rules are rendered lazily, at synth, so the order in
 * which constructs are declared does not matter; they are sorted for stable output. The chart's
 * `default-deny` policy blocks everything else.
 */
export class NetworkPeer extends Construct {
  private readonly inbound: PeerPorts = new Map();
  private readonly outbound: PeerPorts = new Map();
  /** Admitted pods of other namespaces (ingress controller, Prometheus), by namespace and labels. */
  private readonly inboundNamespaces = new Map<string, { from: NamespacePeer; ports: Set<number> }>();
  private readonly external: Egress[] = [];
  private apiServer = false;
  private readonly policy: k8s.KubeNetworkPolicy;

  public constructor(
    scope: Construct,
    id: string,
    private readonly chart: PlatformChart,
    /** Name of the workload and of its NetworkPolicy. */
    public readonly name: string,
    /** Labels that select the workload's pods. */
    public readonly podLabels: Readonly<Record<string, string>>,
  ) {
    super(scope, id);
    this.policy = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: chart.metadata(name, { component: 'network-policy' }),
      spec: {
        podSelector: { matchLabels: { ...podLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({ produce: () => this.ingressRules() }),
        egress: Lazy.any({ produce: () => this.egressRules() }),
      },
    });
  }

  /** Lets this peer's pods open connections to `server` on `ports`, and `server` accept them. */
  public connectTo(server: NetworkPeer, ports: readonly number[]): void {
    add(this.outbound, server, ports);
    add(server.inbound, this, ports);
  }

  /** Admits the env's ingress controller on `ports`. */
  public allowFromIngressController(ports: readonly number[]): void {
    const ingress = this.chart.env.ingress;
    this.allowFromNamespace({ namespace: ingress.controllerNamespace, podLabels: ingress.controllerPodLabels }, ports);
  }

  /** Admits the env's Prometheus on `ports`; nothing when the env has no monitoring. */
  public allowScrape(ports: readonly number[]): void {
    const monitoring = this.chart.env.monitoring;
    if (monitoring) this.allowFromNamespace(monitoring, ports);
  }

  /** Admits pods of another namespace on `ports`. */
  public allowFromNamespace(from: NamespacePeer, ports: readonly number[]): void {
    const key = JSON.stringify([from.namespace, Object.entries(from.podLabels ?? {}).sort()]);
    const entry = this.inboundNamespaces.get(key) ?? { from, ports: new Set<number>() };
    for (const p of ports) entry.ports.add(p);
    this.inboundNamespaces.set(key, entry);
  }

  /** Allows declared traffic beyond the platform: the internet or pods of other namespaces. */
  public allowExternal(rules: readonly Egress[]): void {
    this.external.push(...rules);
    this.annotate();
  }

  /**
   * Allows the Kubernetes API server (for pods that call it, such as scheduled restarts) on 443
   * and 6443, at the env's `apiServerCidrs` and nowhere else.
   */
  public allowApiServer(): void {
    this.apiServer = true;
    this.annotate();
  }

  /** Names every destination beyond the platform in an annotation, so a reviewer reads the purpose next to the rule. */
  private annotate(): void {
    const lines = this.external.map((e) => `${e.description} (tcp ${[...e.ports].sort((a, b) => a - b).join(',')})`);
    if (this.apiServer) lines.push('Kubernetes API server (tcp 443,6443)');
    if (lines.length === 0) return;
    this.policy.metadata.addAnnotation('trading-platform-manifests/external-egress', lines.sort().join('; '));
  }

  private ingressRules(): k8s.NetworkPolicyIngressRule[] {
    const rules: k8s.NetworkPolicyIngressRule[] = [];
    for (const key of [...this.inboundNamespaces.keys()].sort()) {
      const { from, ports } = this.inboundNamespaces.get(key)!;
      rules.push({ from: [namespacePeer(from)], ports: tcp(ports) });
    }
    for (const { peer, ports } of sortedPeers(this.inbound)) {
      rules.push({ from: [{ podSelector: { matchLabels: { ...peer.podLabels } } }], ports: tcp(ports) });
    }
    return rules;
  }

  private egressRules(): k8s.NetworkPolicyEgressRule[] {
    const rules: k8s.NetworkPolicyEgressRule[] = [];
    for (const { peer, ports } of sortedPeers(this.outbound)) {
      rules.push({ to: [{ podSelector: { matchLabels: { ...peer.podLabels } } }], ports: tcp(ports) });
    }
    // One rule per distinct (destination, ports): purposes that share them differ only in the annotation.
    const byTarget = new Map<string, { to: k8s.NetworkPolicyPeer[]; ports: Set<number> }>();
    const target = (to: k8s.NetworkPolicyPeer[], ports: readonly number[]) => {
      const sorted = [...new Set(ports)].sort((a, b) => a - b);
      byTarget.set(JSON.stringify([to, sorted]), { to, ports: new Set(sorted) });
    };
    for (const e of this.external) {
      if ('namespace' in e) target([namespacePeer(e)], e.ports);
      else {
        const cidrs = [...(e.cidrs ?? ['0.0.0.0/0'])].sort();
        target(cidrs.map((cidr) => ({ ipBlock: cidr === '0.0.0.0/0' ? { cidr, except: [...NOT_INTERNET] } : { cidr } })), e.ports);
      }
    }
    if (this.apiServer) {
      // The API server is not a pod and its address differs per cluster: the env names it (the
      // chart refuses an env without it, and nothing renders then).
      target([...this.chart.env.apiServerCidrs].sort().map((cidr) => ({ ipBlock: { cidr } })), [443, 6443]);
    }
    for (const key of [...byTarget.keys()].sort()) {
      const { to, ports } = byTarget.get(key)!;
      rules.push({ to, ports: tcp(ports) });
    }
    return rules;
  }
}

function add(map: PeerPorts, peer: NetworkPeer, ports: readonly number[]): void {
  const entry = map.get(peer.name) ?? { peer, ports: new Set<number>() };
  for (const p of ports) entry.ports.add(p);
  map.set(peer.name, entry);
}

function sortedPeers(map: PeerPorts) {
  return [...map.keys()].sort().map((k) => map.get(k)!);
}

function tcp(ports: Set<number>): k8s.NetworkPolicyPort[] {
  return [...ports].sort((a, b) => a - b).map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) }));
}
