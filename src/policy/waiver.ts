import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { WAIVER_PREFIX } from '../documents';
import type { RuleId } from './rule';
import { RULES } from './rules';

export { WAIVER_PREFIX } from '../documents';

/**
 * Waives one policy rule for the objects of one construct (and its children) that the rule
 * judges (a pod rule: the Deployment, not its Service), with a written reason. The reason renders as the annotation `trading-platform-manifests/waive-<rule>`, so a
 * reviewer reads it in the `dist/` diff, and synth lists every waiver in force. A waiver is the
 * only way past a rule: there is no global switch.
 */
export function waive(scope: IConstruct, rule: RuleId, reason: string): void {
  const kinds = RULES.find((r) => r.id === rule)?.kinds;
  const objects = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && (!kinds || kinds.includes(c.kind)));
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    scope.node.addValidation({ validate: () => [`waive(${rule}): the reason must say why, in 10 characters or more`] });
    return;
  }
  if (objects.length === 0) {
    scope.node.addValidation({ validate: () => [`waive(${rule}): nothing to waive; call it after the construct has rendered its objects`] });
  }
  for (const o of objects) o.metadata.addAnnotation(`${WAIVER_PREFIX}${rule}`, reason.trim());
}

/** The waivers on a rendered document, by rule id. */
export function waiversOf(doc: { metadata?: { annotations?: Record<string, string> } }): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(doc.metadata?.annotations ?? {})) if (k.startsWith(WAIVER_PREFIX)) out.set(k.slice(WAIVER_PREFIX.length), v);
  return out;
}
