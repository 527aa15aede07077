/**
 * What an env says about its ingress controller: the class, where its pods run, the TLS issuer,
 * and what `authenticated` and `internal` routes need (the oauth2-proxy, the source ranges).
 */
import * as z from 'zod/mini';
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
 * ingress-nginx external auth in front of oauth2-proxy: the controller sends a subrequest to `url`
 * with the caller's cookies; 2xx passes the request, 401 sends the browser to `signin`.
 */
export const externalAuthSchema = strict({
  /**
   * oauth2-proxy's auth endpoint as the controller reaches it (`auth-url`), e.g.
   * `http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth`.
   */
  url: z.string(),
  /**
   * Where an unauthenticated browser signs in (`auth-signin`), e.g.
   * `https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri`.
   */
  signin: z.string(),
  /**
   * Headers of oauth2-proxy's answer passed to the service (`auth-response-headers`).
   * @default ["X-Auth-Request-User", "X-Auth-Request-Email"]
   */
  responseHeaders: z.optional(list(z.string())),
});
/** ingress-nginx external auth in front of oauth2-proxy. */
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
   * The env's oauth2-proxy, which ingress-nginx asks before it passes a request of an
   * `authenticated` route (external auth). Required when a platform has such a route.
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
