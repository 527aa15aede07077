/**
 * What an env says about its ingress controller: the class, where its pods run, the TLS issuer,
 * and what `authenticated` and `internal` routes need (the sign-in proxy's settings, the source ranges).
 */
import * as z from 'zod/mini';
import { egressSettingsSchema } from './egress-settings';
import { resourcesSchema } from './profiles';
import { labels, list, strict } from './schema/shape';

/** A cert-manager issuer. */
export const tlsIssuerSchema = strict({
  /** Name of the issuer, e.g. `letsencrypt-prod`. */
  name: z.string(),
  /**
   * `ClusterIssuer` (cluster-wide) or `Issuer` (in the platform's namespace).
   * @default "ClusterIssuer"
   */
  kind: z.optional(z.literal(['ClusterIssuer', 'Issuer'])),
});
/** A cert-manager issuer. */
export type TlsIssuer = z.infer<typeof tlsIssuerSchema>;

/**
 * How `authenticated` routes sign users in: ingress-nginx external auth in front of an oauth2-proxy
 * that the library renders in each platform's namespace (see `SignInProxy`). The controller asks
 * that proxy (`/oauth2/auth`) before it passes a request, with the caller's cookies; a browser
 * without a session is sent to `/oauth2/start` on the same host, which signs in at the identity
 * provider (OpenID Connect) and sets the session cookie for that host.
 *
 * The credentials are referenced, never given: one Secret in each platform's namespace holds
 * `OAUTH2_PROXY_CLIENT_ID`, `OAUTH2_PROXY_CLIENT_SECRET` and `OAUTH2_PROXY_COOKIE_SECRET`
 * (rendered as an ExternalSecret where the env has `externalSecrets`).
 */
export const externalAuthSchema = strict({
  /**
   * The identity provider's OpenID Connect issuer, `https://` (oauth2-proxy reads
   * `<issuerUrl>/.well-known/openid-configuration`), e.g. `https://login.example.com/realms/trading`.
   */
  issuerUrl: z.string(),
  /**
   * Where the identity provider is on the network, for the proxy's NetworkPolicy: address ranges,
   * or pods of a namespace (e.g. a Keycloak in the cluster, `{ description, ports: [8443],
   * namespace: "keycloak" }`).
   * @default - HTTPS (443) to the public internet, nothing private
   */
  egress: z.optional(egressSettingsSchema),
  /**
   * Email domains whose users may sign in, e.g. `["example.com"]`. With `groups` as well, a user
   * needs both. `"*"` (any address) only together with `groups`.
   * @default - none: `groups` alone decide
   */
  emailDomains: z.optional(list(z.string())),
  /**
   * Groups (the ID token's `groups` claim) whose members may sign in, e.g. `["trading-operators"]`.
   * @default - none: `emailDomains` alone decide (one of the two is required)
   */
  groups: z.optional(list(z.string())),
  /** The oauth2-proxy image (`quay.io/oauth2-proxy/oauth2-proxy:<version>`), pinned like every other. */
  image: z.string(),
  /**
   * The Secret, in each platform's namespace, holding the OIDC client and the cookie secret under
   * the keys `OAUTH2_PROXY_CLIENT_ID`, `OAUTH2_PROXY_CLIENT_SECRET`, `OAUTH2_PROXY_COOKIE_SECRET`.
   */
  credentials: strict({
    /** Name of the Secret. */
    secret: z.string(),
  }),
  /** Requests and limits of each proxy pod. */
  resources: resourcesSchema,
  /**
   * Proxy pods per platform; a production env runs at least 2 (with a PodDisruptionBudget), since
   * every authenticated request waits on them.
   * @default - 2 in a production env, else 1
   */
  replicas: z.optional(z.number()),
  /**
   * Headers of oauth2-proxy's answer passed to the service (`auth-response-headers`).
   * @default ["X-Auth-Request-User", "X-Auth-Request-Email"]
   */
  responseHeaders: z.optional(list(z.string())),
});
/** How `authenticated` routes sign users in (see {@link externalAuthSchema}). */
export type ExternalAuth = z.infer<typeof externalAuthSchema>;

/** The ingress controller and the TLS issuer of an env. */
export const ingressSchema = strict({
  /** `ingressClassName` of every Ingress, e.g. `nginx`. */
  className: z.string(),
  /** Namespace the ingress controller's pods run in; NetworkPolicies admit traffic from it. */
  controllerNamespace: z.string(),
  /**
   * Labels of the ingress controller's pods; NetworkPolicies admit traffic only from them.
   * Required in a production env.
   * @default - every pod of `controllerNamespace`
   */
  controllerPodLabels: z.optional(labels),
  /** cert-manager issuer that signs the TLS certificate of every Ingress. */
  tlsIssuer: tlsIssuerSchema,
  /**
   * How `authenticated` routes sign users in: the identity provider, who may sign in, and the
   * oauth2-proxy each such platform runs. Required when a platform has such a route.
   * @default - none: an `authenticated` route is an error
   */
  auth: z.optional(externalAuthSchema),
  /**
   * Source ranges (CIDRs of the office and VPN) that may call an `internal` route; the controller
   * answers 403 to every other address. Required when a platform has such a route.
   * @default - none: an `internal` route is an error
   */
  internalSourceRanges: z.optional(list(z.string())),
});
/** The ingress controller and the TLS issuer of an env. */
export type IngressSettings = z.infer<typeof ingressSchema>;
