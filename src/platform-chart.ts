import { Chart, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import type { Budget } from './capacity/capacity';
import { dnsLabel, ipv4Cidr, quantity, timeZone, wholeNumber } from './checks';
import { Environment } from './environment';
import { rangeOf, specialRangesReached } from './ipv4';
import { Problems } from './problems';

/** Label keys every object carries. */
export const LABELS = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'app.kubernetes.io/version',
} as const;

/** Value of `app.kubernetes.io/managed-by`. */
export const MANAGED_BY = 'trading-platform-manifests';

/** Props of {@link PlatformChart}. */
export interface PlatformChartProps {
  /** The env this chart renders for. */
  readonly env: Environment;
  /**
   * One line on what the platform is; rendered as an annotation on its Namespace and on the
   * platform's page.
   * @default - no description
   */
  readonly description?: string;
  /**
   * What the platform may claim in this env. Renders the namespace's ResourceQuota (and a
   * LimitRange with defaults for containers that state nothing, such as a debug pod), and synth
   * fails when the platform's worst case would not fit.
   * @default - no quota and no capacity check
   */
  readonly budget?: Budget;
}

/** Options of {@link PlatformChart.metadata}. */
export interface MetadataOptions {
  /**
   * `app.kubernetes.io/name`, when it differs from the object's name (a hashed ConfigMap, a Job).
   * @default - the object's name
   */
  readonly app?: string;
  /**
   * `app.kubernetes.io/component`, e.g. `api`, `worker`, `database`.
   * @default - no component label
   */
  readonly component?: string;
  /**
   * Extra labels, added to the platform's common labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * One platform in one env: the root of every construct of a platform. It renders the
 * namespace `<platform>-<env>` (Pod Security "restricted" enforced), a default-deny
 * NetworkPolicy and DNS egress for its pods, and gives its constructs names, labels and
 * selectors that depend only on the platform and the construct's name, never on the
 * construct path: moving a construct never changes an immutable selector.
 */
export class PlatformChart extends Chart {
  /** Finds the PlatformChart a construct belongs to. */
  public static of(c: IConstruct): PlatformChart {
    for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
      if (s instanceof PlatformChart) return s as PlatformChart;
    }
    throw new Error(`${c.node.path}: constructs of this library must be created inside a PlatformChart`);
  }

  /** Name of the platform, e.g. `peripheral`. */
  public readonly platform: string;
  /** The env this chart renders for. */
  public readonly env: Environment;
  /** Namespace of every object: `<platform>-<env>`. */
  public readonly namespace: string;
  /** Whether images must be pinned in this env. */
  public readonly pinnedImages: boolean;
  /** Time zone of CronJobs. */
  public readonly timeZone: string;
  /**
   * The budget, when the overlay gives one.
   * @default - none: capacity is reported but not limited
   */
  public readonly budget?: Budget;

  public constructor(scope: Construct, platform: string, props: PlatformChartProps) {
    super(scope, platform, { disableResourceNameHashes: true });
    this.platform = platform;
    this.env = props.env;
    this.namespace = `${platform}-${props.env.name}`;
    this.pinnedImages = props.env.requirePinnedImages ?? true;
    this.timeZone = props.env.timeZone ?? 'UTC';

    const problems = new Problems();
    problems.check('platform', dnsLabel(platform, 40));
    problems.check('env.name', dnsLabel(props.env.name, 20));
    problems.check('env.timeZone', timeZone(this.timeZone));
    problems.check('env.ingress.controllerNamespace', dnsLabel(props.env.ingress?.controllerNamespace));
    if (props.budget !== undefined) {
      for (const k of ['cpu', 'memory', 'storage'] as const) problems.check(`budget.${k}`, quantity(props.budget[k]));
      problems.check('budget.pods', wholeNumber(props.budget.pods, 1, 100000));
    }
    this.budget = props.budget;
    if (props.env.dns?.namespace !== undefined) problems.check('env.dns.namespace', dnsLabel(props.env.dns.namespace));
    for (const cidr of props.env.dns?.cidrs ?? []) problems.check('env.dns.cidrs', ipv4Cidr(cidr));
    problems.checkAll('env.apiServerCidrs', apiServerProblems(props.env.apiServerCidrs));
    if (problems.report(this)) return;

    const namespaceObject = new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: this.namespace,
        labels: {
          ...this.commonLabels(this.namespace, 'namespace'),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'v1.27',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
        annotations: props.description ? { 'trading-platform-manifests/description': props.description } : undefined,
      },
    });
    // cdk8s gives every object of a chart the chart's `namespace`; a Namespace is cluster-scoped.
    namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    if (props.budget) {
      const b = props.budget;
      new k8s.KubeResourceQuota(this, 'quota', {
        metadata: this.metadata('budget', { component: 'quota' }),
        spec: {
          hard: {
            'requests.cpu': k8s.Quantity.fromString(b.cpu),
            'requests.memory': k8s.Quantity.fromString(b.memory),
            'limits.memory': k8s.Quantity.fromString(b.memory),
            'requests.storage': k8s.Quantity.fromString(b.storage),
            pods: k8s.Quantity.fromString(String(b.pods)),
          },
        },
      });
      // Containers that state no resources (a debug or restore pod) get these, so the quota admits them.
      new k8s.KubeLimitRange(this, 'limits', {
        metadata: this.metadata('defaults', { component: 'quota' }),
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
              default: { memory: k8s.Quantity.fromString('256Mi') },
            },
          ],
        },
      });
    }

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: this.metadata('default-deny', { component: 'network-policy' }),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const dns = props.env.dns ?? {};
    new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: this.metadata('allow-dns', { component: 'network-policy' }),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespace ?? 'kube-system' } },
                podSelector: { matchLabels: { ...(dns.podLabels ?? { 'k8s-app': 'kube-dns' }) } },
              },
              ...(dns.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });
  }

  /** Labels that select the pods of the workload called `name`. Never change them: selectors are immutable. */
  public selectorLabels(name: string): Record<string, string> {
    return { [LABELS.name]: name, [LABELS.partOf]: this.platform };
  }

  /** Standard labels of an object called `name`. */
  public commonLabels(name: string, component?: string): Record<string, string> {
    return {
      ...this.selectorLabels(name),
      ...(component ? { [LABELS.component]: component } : {}),
      [LABELS.managedBy]: MANAGED_BY,
    };
  }

  /** Metadata of a namespaced object called `name`, with the standard labels. */
  public metadata(name: string, options: MetadataOptions = {}): k8s.ObjectMeta {
    return {
      name,
      namespace: this.namespace,
      labels: { ...this.commonLabels(options.app ?? name, options.component), ...options.labels },
      annotations: options.annotations && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined,
    };
  }
}

/** Checks the env's API server addresses: required, each a CIDR of /16 or narrower, never loopback, link-local or the like. */
function apiServerProblems(cidrs: unknown): string[] {
  const hint = 'name the API server\'s addresses (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)';
  if (!Array.isArray(cidrs) || cidrs.length === 0) return [`is ${JSON.stringify(cidrs)}; ${hint}, each an IPv4 CIDR of /16 or narrower`];
  return cidrs.flatMap((c: unknown) => {
    const m = ipv4Cidr(c);
    if (m) return [m];
    const r = rangeOf(c as string)!;
    if (r.last - r.first + 1 > 2 ** 16) return [`"${c}" is wider than a /16; ${hint}`];
    const bad = specialRangesReached(c as string, [], (s) => !['private-use', 'shared address space (carrier-grade NAT)'].includes(s.name));
    return bad.map((s) => `"${c}" reaches ${s.cidr} (${s.name}, ${s.rfc}), where no API server listens; ${hint}`);
  });
}
