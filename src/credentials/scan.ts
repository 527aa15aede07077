/**
 * Finds credentials in text: secretlint's recommended rule set (provider rules kept by the
 * secretlint project: AWS, GCP, GitHub, Slack, npm, OpenAI, Anthropic, SendGrid, Shopify,
 * Linear, 1Password, private keys, basic auth, database connection strings) plus the project's
 * own rules for what no provider rule knows: a credential-named key holding a literal, a URL
 * with a password in its user info, and Stripe secret keys.
 *
 * secretlint's own runner (`@secretlint/core`) is asynchronous and the render is not, so the
 * rules run here through their documented interface (`create(context, options).file(source)`),
 * which every rule of the preset implements synchronously for text.
 */
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';

/** One credential found in a value. */
export interface Finding {
  /** Which rule found it: `secretlint/aws`, `credential-name`, `url-password`, `stripe`. */
  readonly rule: string;
  /** What it is, e.g. `an AWS access key id`, in words. */
  readonly what: string;
  /** The value with the credential masked: never the credential whole. */
  readonly shown: string;
}

// ---- the project's own rules ---------------------------------------------------------------

/**
 * Names that hold credentials: PASS (PASSWORD, PASSWD, PASSPHRASE), PWD, TOKEN, SECRET, DSN,
 * CREDENTIAL anywhere, KEY as the last word (API_KEY, FERNET_KEY), in any case; see also CAMEL_KEY.
 */
export const CREDENTIAL_NAME = /PASS|PWD|TOKEN|SECRET|DSN|CREDENTIAL|(^|[_.-])KEY$/i;
// KEY as a camelCase last word (apiKey), in that case only: `hotkey` and `MONKEY` are no credential names.
const CAMEL_KEY = /[a-z]Key$/;
// A name that says the value is where or what the credential is, not the credential itself.
const REFERENCE_NAME = /[_.-](FILE|PATH|DIR|NAME|REF|URL|URI|ENDPOINT|HOST|TTL|EXPIRY|EXPIRES|TIMEOUT|LENGTH|ENABLED|REQUIRED)$/i;
// A value that refers to another or is computed: Kubernetes' $(VAR), a shell $VAR, ${VAR},
// $(command) or `command`, a file path.
const REFERENCE_VALUE = /^(\$|`|\/[^\s]*$)/;

/** Whether `name` says its value is a credential. */
export function isCredentialName(name: string): boolean {
  return (CREDENTIAL_NAME.test(name) || CAMEL_KEY.test(name)) && !REFERENCE_NAME.test(name);
}

/** `secret: tradebot-pgadmin` in settings: the name of a Secret (a DNS-1123 subdomain), not its value. */
function isSecretName(name: string, value: string): boolean {
  return /^secrets?$/i.test(name) && value.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value);
}

// scheme://user:password@host, or scheme://:password@host; a $(VAR) or ${VAR} password is a reference.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/@:"']*):([^\s/@"']+)@/gi;
// scheme://token@host: a user name of 16 or more letters and digits is a token (GitHub, GitLab, registries).
const URL_TOKEN_USER = /\b([a-z][a-z0-9+.-]*):\/\/([A-Za-z0-9_~.%-]{16,})@/gi;
// Stripe secret and restricted keys (publishable pk_ keys are public).
const STRIPE = /\b[sr]k_(live|test)_[0-9A-Za-z]{10,}/g;

/** Shows the first characters of a credential and its length, never the rest. */
export function mask(secret: string): string {
  // Enough to recognise a key's kind (sk_l, AKIA), never enough to guess a short password.
  const head = secret.length >= 16 ? secret.slice(0, 4) : secret.length >= 10 ? secret.slice(0, 2) : '';
  return `${head}…(${secret.length} characters)`;
}

/** `value` with `secret` (at `index`) masked. */
function masked(value: string, index: number, secret: string): string {
  const before = value.slice(Math.max(0, index - 24), index);
  const after = value.slice(index + secret.length, index + secret.length + 24);
  return `${index > 24 ? '…' : ''}${before}${mask(secret)}${after}${index + secret.length + 24 < value.length ? '…' : ''}`.replace(/\n/g, '\\n');
}

function ownRules(value: string): Finding[] {
  const out: Finding[] = [];
  // Most values hold neither: skip the patterns then.
  if (value.includes('k_')) for (const m of value.matchAll(STRIPE)) out.push({ rule: 'stripe', what: `a Stripe ${m[1]} secret key`, shown: masked(value, m.index!, m[0]) });
  if (value.includes('://')) for (const m of value.matchAll(URL_PASSWORD)) {
    const password = m[3];
    if (/^\$[({]/.test(password)) continue;
    const at = m.index! + m[0].length - 1 - password.length;
    out.push({ rule: 'url-password', what: `a ${m[1]} URL with a password`, shown: masked(value, at, password) });
  }
  if (value.includes('://')) for (const m of value.matchAll(URL_TOKEN_USER)) {
    if (!/[0-9]/.test(m[2]) || !/[A-Za-z]/.test(m[2])) continue;
    out.push({ rule: 'url-password', what: `a ${m[1]} URL with a token as its user`, shown: masked(value, m.index! + m[1].length + 3, m[2]) });
  }
  return out;
}

// ---- secretlint ----------------------------------------------------------------------------

/** The part of secretlint's rule interface (`@secretlint/types`) this runner uses. */
interface RuleCreator {
  readonly meta: { readonly id: string };
  create(context: unknown, options: unknown): { file?(source: unknown): unknown };
}
interface Report {
  readonly message: { readonly messageId: string };
  readonly range: readonly [number, number];
}

// Options beyond the preset's defaults: the AWS rule scans access key ids (AKIA…) only when asked.
const OPTIONS: Record<string, object> = { '@secretlint/secretlint-rule-aws': { enableIDScanRule: true } };
// What a rule reports that is no credential: an AWS account id is an identifier.
const NOT_CREDENTIALS = new Set(['aws/AWSAccountID']);

/**
 * What secretlint finds in `text`, with the ranges it reports. The preset's rules are created
 * for each text (a few microseconds), each reporting into this call's list.
 */
function secretlint(text: string): Array<Report & { rule: string }> {
  const found: Array<Report & { rule: string }> = [];
  const rules: RuleCreator[] = [];
  (recommended as unknown as RuleCreator).create({ registerRule: (r: RuleCreator) => rules.push(r), sharedOptions: {} }, {});
  // No file path or extension: the rules that read files (PKCS#12, package.json, .npmrc) stay off.
  const source = { content: text };
  for (const r of rules) {
    const id = r.meta.id.replace(/^@secretlint\/secretlint-rule-/, '');
    const context = {
      sharedOptions: {},
      // Only the message id is kept: secretlint's messages quote the credential whole.
      createTranslator: () => (messageId: string) => ({ message: messageId, messageId }),
      report: (d: Report) => {
        if (!NOT_CREDENTIALS.has(`${id}/${d.message.messageId}`)) found.push({ ...d, rule: id });
      },
      // Comment directives (`secretlint-disable`) are for source files: a rendered value never switches the scan off.
      ignore: () => undefined,
    };
    r.create(context, OPTIONS[r.meta.id] ?? {}).file?.(source);
  }
  return found;
}

/** "AWSAccessKeyID" → "AWS access key ID", for messages. */
function words(messageId: string): string {
  return messageId.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

// ---- scanning ------------------------------------------------------------------------------

/** One string to scan, with the name it is stored under when it has one. */
export interface Field {
  /** Where it is, e.g. `spec.template.spec.containers[api].env[DB_PASS]`. */
  readonly path: string;
  readonly value: string;
  /** Env var name, ConfigMap key, flag or setting the value is stored under. */
  readonly name?: string;
}

/** A finding in one field. */
export interface FieldFinding extends Finding {
  readonly path: string;
}

/**
 * Scans many fields at once: secretlint runs over one text made of all of them (a value per
 * line, after its name), and each report is mapped back to its field.
 */
export function scanFields(fields: readonly Field[], options: { readonly secretlint?: boolean } = {}): FieldFinding[] {
  // Each finding with the index of its field.
  const found: Array<[number, FieldFinding]> = [];
  const starts: number[] = [];
  let text = '';
  fields.forEach((f, i) => {
    // The name in front lets rules that read `NAME=value` (AWS secret keys) see it.
    const prefix = f.name !== undefined ? `${f.name}=` : '';
    starts[i] = text.length + prefix.length;
    text += `${prefix}${f.value}\n`;
    if (f.name !== undefined && f.value.length > 0 && isCredentialName(f.name) && !REFERENCE_VALUE.test(f.value) && !isSecretName(f.name, f.value)) {
      found.push([i, { rule: 'credential-name', what: `a literal under the credential name ${f.name}`, shown: mask(f.value), path: f.path }]);
    }
    for (const finding of ownRules(f.value)) found.push([i, { ...finding, path: f.path }]);
  });
  for (const r of options.secretlint === false ? [] : secretlint(text)) {
    // The field whose line (name and value) holds the report's first character.
    let lo = 0;
    let hi = fields.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] - (fields[mid].name !== undefined ? fields[mid].name!.length + 1 : 0) <= r.range[0]) lo = mid;
      else hi = mid - 1;
    }
    const f = fields[lo];
    const index = r.range[0] - starts[lo];
    const secret = text.slice(r.range[0], Math.min(r.range[1], starts[lo] + f.value.length));
    found.push([
      lo,
      {
        rule: `secretlint/${r.rule}`,
        what: `what secretlint's ${r.rule} rule calls ${words(r.message.messageId)}`,
        // A credential in the name (a ConfigMap key, an env var's name) is masked in the path too.
        shown: index < 0 ? mask(secret) : masked(f.value, index, secret),
        path: f.path.split(secret).join(mask(secret)),
      },
    ]);
  }
  // One line per field, in field order; of a field's findings (a stable sort keeps their order)
  // the project's own rules first (their messages say more): credential-name, stripe,
  // url-password; then secretlint's.
  const seen = new Set<number>();
  return found
    .sort((a, b) => a[0] - b[0])
    .filter(([i]) => (seen.has(i) ? false : (seen.add(i), true)))
    .map(([, finding]) => finding);
}

/**
 * The project's own findings in one value stored under `name` (credential names, URL passwords,
 * Stripe keys), for constructs to report against their own props; secretlint's provider rules run
 * over the rendered documents, where every value meets them.
 */
export function scanValue(name: string | undefined, value: string): FieldFinding[] {
  return scanFields([{ path: name ?? '', value, name }], { secretlint: false });
}
