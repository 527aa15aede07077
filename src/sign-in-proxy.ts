import { Construct } from 'constructs';
import { dnsSubdomain, show, wholeNumber } from './checks';
import { secretKey } from './config';
import { imageProblem } from './image';
import type { ExternalAuth } from './ingress-settings';
import { egressProblems, httpsEgress } from './network';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';
import { WebService } from './workload';

/** Name of the sign-in proxy's Deployment, Service and NetworkPolicy in every platform that has one. */
export const SIGN_IN_NAME = 'oauth2-proxy';
/** Port oauth2-proxy listens on (`--http-address`), and of its Service. */
export const SIGN_IN_PORT = 4180;
/** Path prefix oauth2-proxy answers under (its default `--proxy-prefix`), routed on each authenticated host. */
export const SIGN_IN_PATH = '/oauth2';
/**
 * What ingress-nginx asks before it passes a request of an `authenticated` route (`auth-url`): the
 * sign-in proxy's Service in the platform's namespace, by its cluster DNS name. The policy counts
 * an Ingress as authenticated only when it asks exactly this (src/policy/sign-in.ts).
 */
export const signInAuthUrl = (namespace: string): string => `http://${SIGN_IN_NAME}.${namespace}.svc.cluster.local:${SIGN_IN_PORT}${SIGN_IN_PATH}/auth`;
/** Keys of the env's sign-in Secret: oauth2-proxy reads each flag from `OAUTH2_PROXY_<FLAG>`. */
export const SIGN_IN_SECRET_KEYS = ['OAUTH2_PROXY_CLIENT_ID', 'OAUTH2_PROXY_CLIENT_SECRET', 'OAUTH2_PROXY_COOKIE_SECRET'] as const;
/** User of oauth2-proxy's image (distroless `static:nonroot`). */
const NONROOT = 65532;

/**
 * The oauth2-proxy of one platform, which ingress-nginx asks before it passes a request of an
 * `authenticated` route. Made once per platform, by its first {@link PublicIngress} with such a
 * route ({@link SignInProxy.of}): a {@link WebService} `oauth2-proxy` in the platform's namespace
 * (hardened pods, probes on `/ready` and `/ping`, requests and limits from the env, two pods and a
 * PodDisruptionBudget in production), admitting only the ingress controller and reaching only the
 * identity provider (HTTPS on the public internet, or where `ingress.auth.egress` says) and DNS.
 *
 * Why one per platform rather than one for the cluster: an Ingress routes only to Services of its
 * own namespace, so the `/oauth2` path each host needs (sign-in, callback, session cookie for that
 * host) must reach a proxy there; each platform's NetworkPolicies stay closed to every other
 * namespace but the controller's; and a platform's users, cookie secret and outage are its own.
 *
 * oauth2-proxy runs in ingress-nginx's auth_request mode, as its docs describe: `--reverse-proxy`
 * (the controller sets `X-Forwarded-Host` and `-Proto`, from which the callback URL
 * `https://<host>/oauth2/callback` is derived), `--set-xauthrequest` (the user and email go back to
 * the controller as `X-Auth-Request-*` headers), `--upstream=static://202` (it proxies nothing
 * itself) and `--session-cookie-minimal` (no tokens in the cookie, which stays small). Non-secret
 * settings are flags, which the reviewer reads in `dist/`; the client id, client secret and cookie
 * secret come from the env's Secret as `OAUTH2_PROXY_*` environment variables.
 */
export class SignInProxy extends Construct {
  /** The platform's sign-in proxy, made on first use; `undefined` when the env has no `ingress.auth` (a problem is reported then). */
  public static of(chart: PlatformChart): SignInProxy | undefined {
    const found = chart.node.tryFindChild('sign-in');
    if (found instanceof SignInProxy) return found;
    if (!chart.env.ingress.auth) return undefined;
    return new SignInProxy(chart, 'sign-in', chart.env.ingress.auth);
  }

  /** What the controller asks (`auth-url`): the proxy's Service in the platform's namespace. */
  public readonly authUrl: string;
  /** Where a browser without a session goes (`auth-signin`): the sign-in path of the host it asked. */
  public readonly signinUrl = `https://$host${SIGN_IN_PATH}/start?rd=$escaped_request_uri`;
  /**
   * The proxy's workload, when the settings were valid.
   * @default - none: the settings' problems are reported instead
   */
  public readonly service?: WebService;
  private readonly hosts = new Set<string>();

  private constructor(chart: PlatformChart, id: string, auth: ExternalAuth) {
    super(chart, id);
    this.authUrl = signInAuthUrl(chart.namespace);
    const problems = new Problems();
    for (const [field, message] of signInProblems(auth, chart)) problems.check(field, message);
    if (problems.report(this)) return;

    const domains = auth.emailDomains ?? [];
    const groups = auth.groups ?? [];
    const secret = auth.credentials.secret;
    this.service = new WebService(this, SIGN_IN_NAME, {
      image: auth.image,
      profile: { replicas: auth.replicas ?? (chart.env.production ? 2 : 1), resources: auth.resources },
      component: 'sign-in',
      port: SIGN_IN_PORT,
      healthPath: '/ready',
      liveness: { http: '/ping' },
      user: NONROOT,
      args: [
        '--provider=oidc',
        `--oidc-issuer-url=${auth.issuerUrl}`,
        // Without domains, groups alone decide: oauth2-proxy admits no email unless told which.
        ...(domains.length > 0 ? domains : ['*']).map((d) => `--email-domain=${d}`),
        ...groups.map((g) => `--allowed-group=${g}`),
        `--http-address=0.0.0.0:${SIGN_IN_PORT}`,
        '--reverse-proxy=true',
        '--set-xauthrequest=true',
        '--upstream=static://202',
        '--cookie-secure=true',
        '--session-cookie-minimal=true',
        '--silence-ping-logging=true',
      ],
      env: Object.fromEntries(SIGN_IN_SECRET_KEYS.map((k) => [k, secretKey(secret, k)])),
      egress: [auth.egress ?? httpsEgress(`identity provider (${auth.issuerUrl})`)],
    });
    // The controller's auth subrequests and the sign-in pages; nothing else may call it.
    this.service.peer.allowFromIngressController(this.service.connectPorts);
  }

  /** Whether `host` still needs its `/oauth2` route, and claims it: one route per host, from the first Ingress that asks. */
  public claimHost(host: string): boolean {
    if (this.hosts.has(host)) return false;
    this.hosts.add(host);
    return true;
  }
}

/**
 * Checks the values of the env's sign-in settings (the overlay schema checks their keys and
 * types); returns `[field, message]` pairs, fields under `env.ingress.auth`.
 */
export function signInProblems(auth: ExternalAuth, chart: PlatformChart): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const at = (f: string, m: string | undefined) => m !== undefined && out.push([`env.ingress.auth${f}`, m]);
  if (typeof auth.issuerUrl !== 'string' || !/^https:\/\/[^\s/@?#]+(\/[^\s@?#]*)?$/.test(auth.issuerUrl)) {
    at('.issuerUrl', `${show(auth.issuerUrl)} is not an https:// URL without user info, query or fragment, e.g. "https://login.example.com/realms/trading"`);
  }
  const domains = auth.emailDomains ?? [];
  const groups = auth.groups ?? [];
  if (domains.length === 0 && groups.length === 0) {
    at('', 'says nobody may sign in; name emailDomains (e.g. ["example.com"]) or groups (e.g. ["trading-operators"]), or both');
  }
  domains.forEach((d, i) => {
    if (d === '*') {
      if (groups.length === 0) at(`.emailDomains[${i}]`, '"*" admits every account the identity provider knows; name the domains, or add groups');
    } else at(`.emailDomains[${i}]`, dnsSubdomain(typeof d === 'string' ? d.toLowerCase() : d));
  });
  groups.forEach((g, i) => {
    if (typeof g !== 'string' || !/^[^\s,]+$/.test(g)) at(`.groups[${i}]`, `${show(g)} is not a group name (no spaces or commas)`);
  });
  if (auth.egress !== undefined) for (const m of egressProblems([auth.egress])) at('.egress', m);
  at('.image', imageProblem(auth.image, chart.pinnedImages, chart.env.name));
  at('.credentials.secret', dnsSubdomain(auth.credentials?.secret));
  if (auth.replicas !== undefined) at('.replicas', wholeNumber(auth.replicas, chart.env.production ? 2 : 1, 100));
  for (const h of auth.responseHeaders ?? []) if (typeof h !== 'string' || !/^[A-Za-z0-9-]+$/.test(h)) at('.responseHeaders', `${show(h)} is not a header name (letters, digits, -)`);
  return out;
}
