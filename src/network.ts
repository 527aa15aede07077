import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ipv4Cidr, port as portCheck, show } from './checks';
import type { PlatformChart } from './platform-chart';

/** Outbound traffic to something outside the cluster, allowed explicitly. */
export interface ExternalEgress {
  /** What it is for, e.g. `exchange API (Binance)`; rendered as an annotation on the policy. */
  readonly description: string;
  /** Destination TCP ports. */
  readonly ports: readonly number[];
  /**
   * Destination address ranges. NetworkPolicies cannot name hosts: where the provider publishes
   * no stable ranges, the default admits the public internet and nothing private.
   * @default - 0.0.0.0/0 except the private, link-local (cloud metadata) and carrier-grade NAT ranges
   */
  readonly cidrs?: readonly string[];
}

/** Ranges that "the internet" must never include: cluster networks and the cloud metadata endpoint. */
const PRIVATE_RANGES = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

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

/** Checks a list of external egress rules. */
export function egressProblems(rules: readonly ExternalEgress[] | undefined): string[] {
  const out: string[] = [];
  for (const r of rules ?? []) {
    if (!r || typeof r.description !== 'string' || r.description.length === 0) out.push(`${show(r)} needs a description of what it reaches`);
    if (!Array.isArray(r?.ports) || r.ports.length === 0) out.push(`"${r?.description}" needs at least one port`);
    for (const p of r?.ports ?? []) {
      const m = portCheck(p);
      if (m) out.push(`"${r.description}": ${m}`);
    }
    for (const c of r?.cidrs ?? []) {
      const m = ipv4Cidr(c);
      if (m) out.push(`"${r.description}": ${m}`);
    }
  }
  return out;
}

/**
 * The pods of one workload as seen by NetworkPolicies. Each peer renders one NetworkPolicy named
 * after its workload that admits exactly its declared clients and lets it reach exactly its
 * declared servers and external endpoints. Rules are rendered lazily, at synth, so the order in
 * which constructs are declared does not matter; they are sorted by peer name for stable output.
 * The chart's `default-deny` policy blocks everything else.
 */
export class NetworkPeer extends Construct {
  private readonly inbound = new Map<string, { peer: NetworkPeer; ports: Set<number> }>();
  private readonly outbound = new Map<string, { peer: NetworkPeer; ports: Set<number> }>();
  private readonly fromController = new Set<number>();
  private readonly external: ExternalEgress[] = [];
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

  /** Admits the ingress controller on `ports`. */
  public allowFromIngressController(ports: readonly number[]): void {
    for (const p of ports) this.fromController.add(p);
  }

  /** Allows declared traffic to outside the cluster. */
  public allowExternal(rules: readonly ExternalEgress[]): void {
    this.external.push(...rules);
    this.annotate();
  }

  /** Allows HTTPS to the Kubernetes API server (for pods that call it, such as restart jobs). */
  public allowApiServer(): void {
    this.apiServer = true;
    this.annotate();
  }

  /** Names every external destination in an annotation, so a reviewer reads the purpose next to the CIDRs. */
  private annotate(): void {
    const lines = this.external.map((e) => `${e.description} (tcp ${[...e.ports].sort((a, b) => a - b).join(',')})`);
    if (this.apiServer) lines.push('Kubernetes API server (tcp 443,6443)');
    if (lines.length === 0) return;
    this.policy.metadata.addAnnotation('trading-platform-manifests/external-egress', lines.sort().join('; '));
  }

  private ingressRules(): k8s.NetworkPolicyIngressRule[] {
    const rules: k8s.NetworkPolicyIngressRule[] = [];
    if (this.fromController.size > 0) {
      const ingress = this.chart.env.ingress;
      rules.push({
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingress.controllerNamespace } },
            podSelector: ingress.controllerPodLabels ? { matchLabels: { ...ingress.controllerPodLabels } } : undefined,
          },
        ],
        ports: tcp(this.fromController),
      });
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
    // One rule per distinct (ranges, ports): purposes that share them differ only in the annotation.
    const byTarget = new Map<string, { cidrs: readonly string[]; ports: Set<number> }>();
    for (const e of this.external) {
      const cidrs = [...(e.cidrs ?? ['0.0.0.0/0'])].sort();
      const ports = [...new Set(e.ports)].sort((a, b) => a - b);
      byTarget.set(JSON.stringify([cidrs, ports]), { cidrs, ports: new Set(ports) });
    }
    for (const key of [...byTarget.keys()].sort()) {
      const { cidrs, ports } = byTarget.get(key)!;
      rules.push({
        to: cidrs.map((cidr) => ({ ipBlock: cidr === '0.0.0.0/0' ? { cidr, except: PRIVATE_RANGES } : { cidr } })),
        ports: tcp(ports),
      });
    }
    if (this.apiServer) {
      // The API server sits outside pod networking; its address differs per cluster, so allow the API ports only.
      rules.push({ ports: tcp(new Set([443, 6443])) });
    }
    return rules;
  }
}

function add(map: Map<string, { peer: NetworkPeer; ports: Set<number> }>, peer: NetworkPeer, ports: readonly number[]): void {
  const entry = map.get(peer.name) ?? { peer, ports: new Set<number>() };
  for (const p of ports) entry.ports.add(p);
  map.set(peer.name, entry);
}

function sortedPeers(map: Map<string, { peer: NetworkPeer; ports: Set<number> }>) {
  return [...map.keys()].sort().map((k) => map.get(k)!);
}

function tcp(ports: Set<number>): k8s.NetworkPolicyPort[] {
  return [...ports].sort((a, b) => a - b).map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) }));
}
