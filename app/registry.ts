/**
 * Asks a container registry which manifest a tag names, with the OCI Distribution API
 * (`HEAD /v2/<name>/manifests/<tag>`, the Docker Registry HTTP API v2 before it), anonymously:
 * a `401` with a `Bearer` challenge is answered with a token from the challenge's realm, as
 * `docker pull` does for a public image. The answer is checked before it is used: the manifest
 * itself is fetched and must hash to the digest the registry announced.
 */
import { createHash } from 'node:crypto';
import { parseImage } from '../src/image';

/**
 * What a tag may name, most wanted first: an index (OCI) or manifest list (Docker) for a
 * multi-arch image, whose digest every node architecture can pull, then a single manifest.
 */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

/** An image reference as a registry reads it. */
export interface RegistryRef {
  /** The registry, e.g. `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly registry: string;
  /** The repository inside it, e.g. `library/redis`. */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Reads a reference the way Docker does (distribution's `reference.ParseNormalizedNamed`): the
 * first path component is a registry when it has a `.` or a `:` (a port), or is `localhost`;
 * otherwise the image is on Docker Hub, where a one-component name is an official image under
 * `library/`. `undefined` when `ref` is not an image reference.
 */
export function normaliseReference(ref: string): RegistryRef | undefined {
  const parts = parseImage(ref);
  if (!parts) return undefined;
  const slash = parts.repository.indexOf('/');
  const first = slash < 0 ? '' : parts.repository.slice(0, slash);
  const hasRegistry = slash > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  if (registry === 'index.docker.io') registry = 'docker.io';
  let name = hasRegistry ? parts.repository.slice(slash + 1) : parts.repository;
  if (registry === 'docker.io' && !name.includes('/')) name = `library/${name}`;
  return { registry, name, ...(parts.tag ? { tag: parts.tag } : {}), ...(parts.digest ? { digest: parts.digest } : {}) };
}

/** One challenge of a `WWW-Authenticate` header (RFC 9110 section 11.6.1). */
export interface Challenge {
  /** The scheme, as sent (compare without case): `Bearer`, `Basic`. */
  readonly scheme: string;
  /** Its parameters, by lowercase name, quoted strings unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Reads every challenge of a `WWW-Authenticate` header, e.g.
 * `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"`.
 * A quoted value may hold commas and `\`-escaped characters.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Array<{ scheme: string; params: Record<string, string> }> = [];
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < header.length && chars.test(header[i])) i++;
  };
  for (;;) {
    skip(/[\s,]/);
    const token = TOKEN.exec(header.slice(i))?.[0];
    if (!token) break;
    i += token.length;
    skip(/[ \t]/);
    const current = out.at(-1);
    if (header[i] !== '=' || !current) {
      out.push({ scheme: token, params: {} });
      continue;
    }
    i++;
    skip(/[ \t]/);
    let value = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) value += header[i] === '\\' && i + 1 < header.length ? header[++i] : header[i];
      i++;
    } else {
      value = TOKEN.exec(header.slice(i))?.[0] ?? '';
      i += value.length;
    }
    current.params[token.toLowerCase()] = value;
  }
  return out;
}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** A URL the command may send requests to: https, or plain http to this machine only. */
export function endpointProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return `"${text}" is not https; plain http is allowed only to this machine (localhost, 127.0.0.0/8, [::1])`;
}

/** Where to read a registry: its mirror when one is given, else the registry itself over https. */
export function registryBase(registry: string, mirrors: ReadonlyMap<string, string>): string {
  const mirror = mirrors.get(registry);
  if (mirror) return mirror.replace(/\/+$/, '');
  return `https://${registry === 'docker.io' ? 'registry-1.docker.io' : registry}`;
}

/** Reads `--registry <registry>=<url>` values into a map, or says what is wrong with one. */
export function parseMirrors(specs: readonly string[]): Map<string, string> | { readonly problem: string } {
  const out = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const registry = spec.slice(0, eq).toLowerCase();
    if (eq <= 0) return { problem: `--registry "${spec}": expected <registry>=<url>, e.g. docker.io=https://mirror.example.com` };
    const problem = endpointProblem(spec.slice(eq + 1));
    if (problem) return { problem: `--registry ${registry}: ${problem}` };
    out.set(registry === 'index.docker.io' ? 'docker.io' : registry, spec.slice(eq + 1));
  }
  return out;
}

/** How to reach the registries. */
export interface RegistryOptions {
  /** Registry name → base URL to use instead (`--registry`). */
  readonly mirrors: ReadonlyMap<string, string>;
  /** Milliseconds a request may take. @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * The digest (`sha256:<64 hex>`) of the manifest `ref`'s tag names now, checked against the
 * manifest's own bytes. Throws an Error whose message says what the registry answered.
 */
export async function resolveDigest(ref: RegistryRef, options: RegistryOptions): Promise<string> {
  if (!ref.tag) throw new Error('has no tag to look up');
  const base = registryBase(ref.registry, options.mirrors);
  const url = `${base}/v2/${ref.name}/manifests/${encodeURIComponent(ref.tag)}`;
  const where = `${base} (${ref.registry}) ${ref.name}:${ref.tag}`;
  const session = { token: undefined as string | undefined };
  const head = await call('HEAD', url, ref, session, options);
  await head.arrayBuffer();
  if (head.status === 404) throw new Error(`${where}: no such tag (HTTP 404 from HEAD /v2/${ref.name}/manifests/${ref.tag})`);
  if (head.status !== 200) throw new Error(`${where}: HTTP ${head.status} from HEAD /v2/${ref.name}/manifests/${ref.tag}`);
  const announced = head.headers.get('docker-content-digest') ?? '';
  if (!/^sha256:[a-f0-9]{64}$/.test(announced)) throw new Error(`${where}: the registry sent no sha256 Docker-Content-Digest (got "${announced.slice(0, 80)}")`);
  // Never the header alone: the manifest's bytes must hash to it.
  const got = await call('GET', url, ref, session, options);
  const body = Buffer.from(await got.arrayBuffer());
  if (got.status !== 200) throw new Error(`${where}: HTTP ${got.status} from GET /v2/${ref.name}/manifests/${ref.tag}`);
  const type = (got.headers.get('content-type') ?? '').split(';')[0].trim();
  if (!(MANIFEST_TYPES as readonly string[]).includes(type)) throw new Error(`${where}: the manifest is "${type}"; allowed: ${MANIFEST_TYPES.join(', ')}`);
  const actual = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (actual !== announced) throw new Error(`${where}: the manifest hashes to ${actual}, not to the announced ${announced}; nothing is recorded from this registry`);
  const again = got.headers.get('docker-content-digest');
  if (again && again !== announced) throw new Error(`${where}: the tag moved from ${announced} to ${again} while it was read; run again`);
  return announced;
}

/** One request; on a `Bearer` challenge, fetches an anonymous token and asks once more. */
async function call(method: string, url: string, ref: RegistryRef, session: { token?: string }, options: RegistryOptions): Promise<Response> {
  const send = () =>
    reach(method, url, {
      method,
      headers: { Accept: MANIFEST_TYPES.join(', '), ...(session.token ? { Authorization: `Bearer ${session.token}` } : {}) },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  const first = await send();
  if (first.status !== 401) return first;
  await first.arrayBuffer();
  const challenges = parseChallenges(first.headers.get('www-authenticate') ?? '');
  const bearer = challenges.find((c) => c.scheme.toLowerCase() === 'bearer');
  if (!bearer) {
    const asked = challenges.map((c) => c.scheme).join(', ') || 'no WWW-Authenticate challenge';
    throw new Error(`${ref.registry} ${ref.name}: HTTP 401 to ${method} with ${asked}; only public images resolve (anonymous Bearer tokens)`);
  }
  session.token = await token(bearer, ref, options);
  return send();
}

/** `fetch`, whose failure (no route, refused, timed out, a redirect) names the request. */
async function reach(method: string, shown: string, init: RequestInit, url: string | URL = shown): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    const cause = (e as { cause?: { message?: string; code?: string } }).cause;
    throw new Error(`${method} ${shown} failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
}

/** An anonymous pull token from the challenge's realm (the distribution token protocol). */
async function token(challenge: Challenge, ref: RegistryRef, options: RegistryOptions): Promise<string> {
  const realm = challenge.params.realm ?? '';
  const problem = endpointProblem(realm);
  if (problem) throw new Error(`${ref.registry} ${ref.name}: the token realm ${problem}`);
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope ?? `repository:${ref.name}:pull`);
  const res = await reach('GET', `${url.origin}${url.pathname}`, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) }, url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${ref.registry} ${ref.name}: HTTP ${res.status} from the token realm ${url.origin}${url.pathname}`);
  let body: { token?: unknown; access_token?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${ref.registry} ${ref.name}: the token realm ${url.origin}${url.pathname} answered no JSON`);
  }
  const value = body.token ?? body.access_token;
  if (typeof value !== 'string' || value === '') throw new Error(`${ref.registry} ${ref.name}: the token realm ${url.origin}${url.pathname} gave no token`);
  return value;
}
