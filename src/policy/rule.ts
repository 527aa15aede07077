/**
 * What a policy rule is and what it sees. Rules see the documents of one platform in one env at
 * a time and use indexes, not pairwise loops, so a check stays linear in the number of objects.
 */
import { Doc, PodIndex, podSpecOf } from '../documents';
import { Environment } from '../environment';

/** One rendered object, with where it came from. */
export interface PolicyObject {
  /** Env name, e.g. `prod`. */
  readonly env: string;
  /** Platform name, e.g. `peripheral`. */
  readonly platform: string;
  /** Construct path, e.g. `peripheral/backend/Resource`. */
  readonly constructPath: string;
  /** The rendered document. */
  readonly doc: Record<string, any>;
}

/** What a rule sees: the objects of one platform in one env. */
export interface PolicyContext {
  /** The env the objects are rendered for. */
  readonly env: Environment;
  /** The platform's namespace. */
  readonly namespace: string;
  /** Every object of the platform in that env. */
  readonly objects: readonly PolicyObject[];
}

/** One finding. */
export interface Violation {
  /** The object that breaks the rule. */
  readonly object: PolicyObject;
  /** What is wrong, in one line. */
  readonly message: string;
}

/** Every rule id, in report order. */
export type RuleId =
  | 'names'
  | 'namespace-scope'
  | 'pss-restricted'
  | 'read-only-root'
  | 'resources'
  | 'probes'
  | 'image-tag'
  | 'image-pinned'
  | 'image-digest'
  | 'image-pull'
  | 'no-secret-data'
  | 'service-selects-pods'
  | 'ingress-backend'
  | 'autoscaler-target'
  | 'budget-target'
  | 'default-deny'
  | 'prod-budget'
  | 'singleton'
  | 'cronjob-no-overlap'
  | 'no-job-ttl'
  | 'cronjob-time-zone'
  | 'egress-internal'
  | 'token-automount'
  | 'public-control-route'
  | 'sign-in-route';

/** A policy rule. */
export interface Rule {
  /** Stable id: what a waiver names. */
  readonly id: RuleId;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  /** How to fix a violation, in one line. */
  readonly fix: string;
  /**
   * Kinds the rule judges (a waiver annotates only these).
   * @default - every kind
   */
  readonly kinds?: readonly string[];
  /** Every violation in the context, never just the first. */
  readonly check: (ctx: PolicyContext) => Violation[];
}

// Indexes built once per context and shared by the rules that need them.
const workloadLists = new WeakMap<PolicyContext, Array<{ o: PolicyObject; spec: Doc }>>();
const podIndexes = new WeakMap<PolicyContext, PodIndex<PolicyObject>>();

/** The objects of the context that hold a pod template, with that template's spec. */
export function workloads(ctx: PolicyContext): Array<{ o: PolicyObject; spec: Doc }> {
  let list = workloadLists.get(ctx);
  if (!list) {
    list = ctx.objects.flatMap((o) => {
      const spec = podSpecOf(o.doc);
      return spec ? [{ o, spec }] : [];
    });
    workloadLists.set(ctx, list);
  }
  return list;
}

/** The context's pod templates by label. */
export function podIndex(ctx: PolicyContext): PodIndex<PolicyObject> {
  let index = podIndexes.get(ctx);
  if (!index) podIndexes.set(ctx, (index = new PodIndex(ctx.objects)));
  return index;
}

const serviceMaps = new WeakMap<PolicyContext, Map<string, PolicyObject>>();
/** The context's Services by name. */
export function servicesByName(ctx: PolicyContext): Map<string, PolicyObject> {
  let map = serviceMaps.get(ctx);
  if (!map) serviceMaps.set(ctx, (map = new Map(ctx.objects.filter((o) => o.doc.kind === 'Service').map((o) => [String(o.doc.metadata?.name), o]))));
  return map;
}
