import { containersOf, podSpecOf } from '../documents';
import { Environment } from '../environment';
import { parseImage } from '../image';
import { digestWaiver } from './content';
import { PolicyObject, Rule, RuleId } from './rule';
import { RULES } from './rules';
import { waiversOf } from './waiver';

/** A waiver in force, for the synth summary. */
export interface WaiverInForce {
  /** Env name. */
  readonly env: string;
  /** Platform name. */
  readonly platform: string;
  /** `Kind/name` of the object the waiver is on. */
  readonly object: string;
  /** The rule waived. */
  readonly rule: string;
  /** Why, as the waiver says. */
  readonly reason: string;
}

/** What a policy run found. */
export interface PolicyReport {
  /** One line per violation: `<env>/<construct path>: [<rule>] <Kind>/<name>: <message> (fix: <hint>)`. */
  readonly violations: readonly string[];
  readonly waivers: readonly WaiverInForce[];
}

const KNOWN = new Set<string>(RULES.map((r) => r.id));

/**
 * Runs every rule over the objects of one platform in one env and reports every violation that
 * no waiver covers. A waiver naming an unknown rule is itself a violation, so a typo cannot
 * silently waive nothing.
 */
export function runPolicy(env: Environment, namespace: string, objects: readonly PolicyObject[], rules: readonly Rule[] = RULES): PolicyReport {
  const violations: string[] = [];
  const waivers: WaiverInForce[] = [];
  for (const o of objects) {
    for (const [rule, reason] of waiversOf(o.doc)) {
      if (!KNOWN.has(rule)) violations.push(`${o.env}/${o.constructPath}: waiver of unknown rule "${rule}" on ${o.doc.kind}/${o.doc.metadata?.name}; rules: ${[...KNOWN].join(', ')}`);
      else waivers.push({ env: o.env, platform: o.platform, object: `${o.doc.kind}/${o.doc.metadata?.name}`, rule, reason });
    }
  }
  const ctx = { env, namespace, objects };
  for (const rule of rules) {
    for (const v of rule.check(ctx)) {
      if (waiversOf(v.object.doc).has(rule.id)) continue;
      violations.push(`${v.object.env}/${v.object.constructPath}: [${rule.id}] ${v.object.doc.kind}/${v.object.doc.metadata?.name}: ${v.message} (fix: ${rule.fix})`);
    }
  }
  // Images the env runs without a digest, by its waiver: listed with the objects that run them.
  for (const o of objects) {
    const spec = podSpecOf(o.doc);
    if (!env.production || !spec) continue;
    const seen = new Set<string>();
    for (const { c } of containersOf(spec)) {
      if (seen.has(c.image)) continue;
      seen.add(c.image);
      const reason = typeof c.image === 'string' && !parseImage(c.image)?.digest ? digestWaiver(env, c.image) : undefined;
      if (reason) waivers.push({ env: o.env, platform: o.platform, object: `${o.doc.kind}/${o.doc.metadata?.name}`, rule: 'image-digest', reason: `${c.image}: ${reason}` });
    }
  }
  return { violations, waivers };
}

/**
 * The digest waivers that waive nothing: no container of their env runs that exact reference
 * without a digest. An error, so a waiver cannot outlive its image: once the digest is recorded
 * (or the tag changes) the waiver must go, and it cannot silently cover the same reference if it
 * ever returns without a digest. Only a render of every platform can tell (synthesize checks it):
 * a render of some platforms does not see the images of the others.
 */
export function unusedDigestWaivers(envs: Readonly<Record<string, { readonly env: Environment }>>, objects: ReadonlyArray<{ readonly env: string; readonly doc: Record<string, any> }>): string[] {
  return Object.entries(envs).flatMap(([name, { env }]) => unusedIn(env, objects.filter((o) => o.env === name).map((o) => o.doc)));
}

function unusedIn(env: Environment, docs: ReadonlyArray<Record<string, any>>): string[] {
  const waived = Object.keys(env.imageDigestWaivers ?? {});
  if (waived.length === 0) return [];
  const byTag = new Set<unknown>();
  for (const doc of docs) {
    const spec = podSpecOf(doc);
    if (spec) for (const { c } of containersOf(spec)) if (typeof c.image === 'string' && !parseImage(c.image)?.digest) byTag.add(c.image);
  }
  return waived
    .filter((image) => !byTag.has(image))
    .map((image) => `${env.name}: env.imageDigestWaivers["${image}"]: no container of ${env.name} runs "${image}" without a digest, so the waiver waives nothing; delete it (a waiver names exactly a reference the env runs by tag)`);
}

/** One policy rule, as {@link describeRules} lists it. */
export interface RuleDescription {
  /** The rule's id: what a waiver names. */
  readonly id: RuleId;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
}

/** Every rule id with its rationale, for documentation and the closing summary. */
export function describeRules(): RuleDescription[] {
  return RULES.map((r) => ({ id: r.id, rationale: r.rationale }));
}
