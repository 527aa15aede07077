import { dump } from 'js-yaml';

const FIRST = ['apiVersion', 'kind', 'metadata'];

/** A document with `apiVersion`, `kind`, `metadata` first and the other keys as given (cdk8s sorts them). */
function ordered(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIRST) if (k in doc) out[k] = doc[k];
  for (const k of Object.keys(doc)) if (!FIRST.includes(k)) out[k] = doc[k];
  return out;
}

/** Plain, stable YAML: no anchors, no line folding, double quotes where quoting is needed. */
export function toYaml(doc: Record<string, unknown>, header?: string): string {
  const body = dump(ordered(doc), { noRefs: true, lineWidth: -1, quotingType: '"', sortKeys: false });
  return header ? `# ${header}\n${body}` : body;
}
