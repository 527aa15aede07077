import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import { Environment, environmentSchema, NOT_INTERNET, PlatformChart, PublicIngress, WebService } from '../src';
import { inputCredentialProblems } from '../src/credentials/documents';
import type { ExternalAuth } from '../src/ingress-settings';
import { enforcedAccess } from '../src/policy/access';
import { inputProblems } from '../src/schema';
import { SIGN_IN_SECRET_KEYS } from '../src/sign-in-proxy';
import { AUTH, hardeningGaps, podLabelsOf, podSpecsOf, problemsOf, prodTestEnv, renderChart, renderedPlatforms, SMALL, testEnv } from './helpers';

// `authenticated` routes run on something the cluster can run: each platform that has one renders
// its own oauth2-proxy (Deployment, Service, NetworkPolicy), a public /oauth2 route on each such
// host, and Ingresses whose auth-url asks that proxy. Read from the shared render of the real
// overlays (every env) and from small platforms for the failures.

const NGINX = 'nginx.ingress.kubernetes.io';
// Test images carry a digest, as every image of a production env must.
const DIGEST = `@sha256:${'0123456789abcdef'.repeat(4)}`;
const AUTH_URL = /^http:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)\/oauth2\/auth$/;
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const containerOf = (d: any) => podSpecsOf(d)[0].containers[0];

describe('the sign-in proxy of every platform with authenticated routes, in every env', () => {
  const rendered = renderedPlatforms();
  const byPlatform = new Map<string, any[]>();
  for (const o of rendered.objects) byPlatform.set(`${o.env}/${o.platform}`, [...(byPlatform.get(`${o.env}/${o.platform}`) ?? []), o.doc]);
  const authenticated = [...byPlatform].filter(([, docs]) => docs.some((d) => d.kind === 'Ingress' && enforcedAccess(d) === 'authenticated'));

  it('finds the platforms it checks: Breakout Bot and Signals in every env', () => {
    for (const env of Object.keys(overlays)) for (const p of ['breakout-bot', 'signals']) expect(authenticated.map(([k]) => k)).toContain(`${env}/${p}`);
  });

  describe.each(authenticated)('%s', (where, docs) => {
    const env = where.split('/')[0];
    const auth = overlays[env as keyof typeof overlays].env.ingress.auth!;
    const ingresses = docs.filter((d) => d.kind === 'Ingress');
    const guarded = ingresses.filter((d) => enforcedAccess(d) === 'authenticated');
    // What every authenticated Ingress asks: one Service of the Ingress' own namespace.
    const asked = [...new Set(guarded.map((d) => d.metadata.annotations[`${NGINX}/auth-url`]))];
    const [, svcName, namespace, port] = AUTH_URL.exec(asked[0]) ?? [];
    const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === svcName);
    const proxy = docs.find((d) => d.kind === 'Deployment' && service && selects(service.spec.selector, podLabelsOf(d)));

    it("asks the proxy's Service in its own namespace (auth-url) and sends browsers to /oauth2/start on the same host (auth-signin)", () => {
      expect(asked).toHaveLength(1);
      expect(namespace).toBe(guarded[0].metadata.namespace);
      expect(service?.spec.ports.map((p: any) => p.port)).toContain(Number(port));
      expect(containerOf(proxy).image).toBe(auth.image);
      const target = service.spec.ports.find((p: any) => p.port === Number(port)).targetPort;
      expect(containerOf(proxy).ports.find((p: any) => p.name === target || p.containerPort === target)).toBeDefined();
      for (const d of guarded) expect(d.metadata.annotations[`${NGINX}/auth-signin`]).toBe('https://$host/oauth2/start?rd=$escaped_request_uri');
    });

    it('routes /oauth2 on each authenticated host, publicly, to the proxy', () => {
      const hosts = new Set(guarded.flatMap((d) => d.spec.rules.map((r: any) => r.host)));
      expect(hosts.size).toBeGreaterThan(0);
      for (const host of hosts) {
        const signIn = ingresses.flatMap((d) =>
          d.spec.rules.filter((r: any) => r.host === host).flatMap((r: any) => r.http.paths.filter((p: any) => p.path === '/oauth2').map((p: any) => ({ d, p }))),
        );
        expect(signIn, host).toHaveLength(1);
        expect(enforcedAccess(signIn[0].d)).toBe('public');
        expect(signIn[0].p).toEqual({ path: '/oauth2', pathType: 'Prefix', backend: { service: { name: svcName, port: { number: Number(port) } } } });
      }
    });

    it('runs the proxy hardened, probed, with the env\'s resources, as oauth2-proxy behind ingress-nginx', () => {
      const spec = podSpecsOf(proxy)[0];
      expect(hardeningGaps(spec)).toEqual([]);
      const c = containerOf(proxy);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: c.ports[0].containerPort });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/ping', port: c.ports[0].containerPort });
      expect(c.resources).toEqual(auth.resources);
      expect(spec.securityContext.runAsUser).toBe(65532); // the image's user (distroless nonroot)
      expect(c.args).toEqual(
        expect.arrayContaining([
          '--provider=oidc',
          `--oidc-issuer-url=${auth.issuerUrl}`,
          ...(auth.emailDomains ?? ['*']).map((d) => `--email-domain=${d}`),
          ...(auth.groups ?? []).map((g) => `--allowed-group=${g}`),
          `--http-address=0.0.0.0:${c.ports[0].containerPort}`,
          '--reverse-proxy=true',
          '--set-xauthrequest=true',
          '--upstream=static://202',
        ]),
      );
      const budget = docs.find((d) => d.kind === 'PodDisruptionBudget' && selects(d.spec.selector.matchLabels, podLabelsOf(proxy)));
      if (overlays[env as keyof typeof overlays].env.production) {
        expect(proxy.spec.replicas).toBeGreaterThanOrEqual(2);
        expect(budget).toBeDefined();
      }
    });

    it('reads the client and cookie secrets from the env\'s Secret by name and key, and renders no Secret', () => {
      const c = containerOf(proxy);
      for (const key of SIGN_IN_SECRET_KEYS) {
        expect(c.env.find((e: any) => e.name === key), key).toEqual({ name: key, valueFrom: { secretKeyRef: { name: auth.credentials.secret, key } } });
      }
      expect(c.env.filter((e: any) => e.value !== undefined)).toEqual([]);
      expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
      expect(rendered.files.get(`${env}/SECRETS.md`)).toContain(`\`${auth.credentials.secret}\` | ${SIGN_IN_SECRET_KEYS.map((k) => `\`${k}\``).join(', ')} | Deployment/${proxy.metadata.name}`);
      if (overlays[env as keyof typeof overlays].env.externalSecrets) {
        const es = docs.find((d) => d.kind === 'ExternalSecret' && d.metadata.name === auth.credentials.secret);
        expect(es.spec.data.map((x: any) => x.secretKey)).toEqual([...SIGN_IN_SECRET_KEYS]);
      }
    });

    it('admits only the ingress controller and reaches only HTTPS outside the cluster', () => {
      const ingress = overlays[env as keyof typeof overlays].env.ingress;
      const policy = docs.find((d) => d.kind === 'NetworkPolicy' && d.spec.podSelector.matchLabels && selects(d.spec.podSelector.matchLabels, podLabelsOf(proxy)));
      const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingress.controllerNamespace } }, ...(ingress.controllerPodLabels ? { podSelector: { matchLabels: ingress.controllerPodLabels } } : {}) };
      expect(policy.spec.ingress).toEqual([{ from: [controller], ports: [{ protocol: 'TCP', port: containerOf(proxy).ports[0].containerPort }] }]);
      expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    });
  });
});

describe('sign-in settings', () => {
  const web = (c: PlatformChart, id: string) => new WebService(c, id, { image: `ghcr.io/acme/ui:1.2.3${DIGEST}`, profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/' });
  const guarded =
    (...hosts: string[]) =>
    (c: PlatformChart) => {
      const ui = web(c, 'ui');
      hosts.forEach((host, i) => new PublicIngress(c, `web${i}`, { host, routes: [{ path: i === 0 ? '/' : `/r${i}`, service: ui, access: 'authenticated' }] }));
    };
  const prod = (auth?: Partial<ExternalAuth>) => {
    const e = prodTestEnv();
    return { ...e, name: 'prod', ingress: { ...e.ingress, auth: auth === undefined ? undefined : ({ ...AUTH, ...auth } as ExternalAuth) } };
  };

  it('fails in prod when the env has no sign-in settings, naming env and field', () => {
    expect(problemsOf(guarded('app.example.com'), prod())).toEqual([
      expect.stringMatching(/^prod\/demo\/web0: routes: an authenticated route needs env\.ingress\.auth, which env prod does not set: the identity provider \(issuerUrl\)/),
    ]);
  });

  it('fails when a setting is missing, misspelt or too few for prod, naming env and field', () => {
    const env = (auth: Record<string, unknown>) => ({ ...prod(), ingress: { ...prod().ingress, auth } });
    const { issuerUrl, credentials, ...rest } = AUTH;
    expect(inputProblems(environmentSchema, env(rest), 'prod', ['env'])).toEqual([
      expect.stringMatching(/^prod: env\.ingress\.auth\.issuerUrl: required/),
      expect.stringMatching(/^prod: env\.ingress\.auth\.credentials: required/),
    ]);
    expect(inputProblems(environmentSchema, env({ ...rest, credentials, issuer: issuerUrl }), 'prod', ['env'])).toContain('prod: env.ingress.auth.issuer: unknown key; did you mean "issuerUrl"?');
    expect(inputProblems(environmentSchema, env({ ...AUTH, replicas: 1 }), 'prod', ['env'])).toEqual([expect.stringMatching(/^prod: env\.ingress\.auth\.replicas: 1 is too few in a production env/)]);
    expect(inputProblems(environmentSchema, { ...env({ ...AUTH, replicas: 1 }), name: 'demo', production: false }, 'demo', ['env'])).toEqual([]);
  });

  it('fails when nobody, or everybody, may sign in', () => {
    expect(problemsOf(guarded('app.example.com'), prod({ emailDomains: undefined }))).toEqual([
      expect.stringMatching(/^prod\/demo\/sign-in: env\.ingress\.auth: says nobody may sign in; name emailDomains/),
    ]);
    expect(problemsOf(guarded('app.example.com'), prod({ emailDomains: ['*'] }))).toEqual([
      'prod/demo/sign-in: env.ingress.auth.emailDomains[0]: "*" admits every account the identity provider knows; name the domains, or add groups',
    ]);
    const groupsOnly = renderChart(guarded('app.example.com'), prod({ emailDomains: undefined, groups: ['trading-operators'] }));
    expect(containerOf(groupsOnly.find('Deployment', 'oauth2-proxy')).args).toEqual(expect.arrayContaining(['--email-domain=*', '--allowed-group=trading-operators']));
  });

  it('finds a literal credential written into the sign-in settings, without echoing it', () => {
    const found = inputCredentialProblems('prod', {
      env: { ingress: { auth: { ...AUTH, issuerUrl: 'https://proxy:Vx93kPq2LmZr@login.example.com/realms/test', clientSecret: 'Zq8xVm3LpT6nWb2RkY7d' } } },
    });
    expect(found).toEqual([
      expect.stringMatching(/^prod: overlay env\.ingress\.auth\.issuerUrl holds a https URL with a password: .*\[url-password\]/),
      expect.stringMatching(/^prod: overlay env\.ingress\.auth\.clientSecret holds a literal under the credential name clientSecret: .*\[credential-name\]/),
    ]);
    expect(found.join('\n')).not.toMatch(/Vx93kPq2LmZr|Zq8xVm3LpT6nWb2RkY7d/);
  });

  it('keeps /oauth2 for the proxy, and routes it once per host', () => {
    const taken = problemsOf((c) => new PublicIngress(c, 'web', { host: 'app.example.com', routes: [{ path: '/oauth2/x', service: web(c, 'ui'), access: 'authenticated' }] }), prod({}));
    expect(taken.join('\n')).toContain('prod/demo/web: routes[0].path: "/oauth2/x" is where the sign-in proxy answers on this host');
    const r = renderChart(guarded('app.example.com', 'app.example.com', 'ops.example.com'), prod({}));
    const signIn = r.objects.filter((o) => o.doc.kind === 'Ingress' && o.doc.spec.rules[0].http.paths.some((p: any) => p.path === '/oauth2'));
    expect(signIn.map((o) => `${o.doc.metadata.name} ${o.doc.spec.rules[0].host}`)).toEqual(['web0-sign-in app.example.com', 'web2-sign-in ops.example.com']);
    expect(r.objects.filter((o) => o.doc.kind === 'Deployment' && o.doc.metadata.name === 'oauth2-proxy')).toHaveLength(1);
  });

  it('fails, in every env, when a path at or under /oauth2 of an authenticated host does not reach the proxy publicly (policy rule sign-in-route)', () => {
    const ingress = (c: PlatformChart, name: string) => c.node.findAll().find((x) => x instanceof ApiObject && x.kind === 'Ingress' && x.name === name) as ApiObject;
    const patched = (name: string, ...ops: JsonPatch[]) => (c: PlatformChart) => {
      guarded('app.example.com')(c);
      ingress(c, name).addJsonPatch(...ops);
    };
    const fix = '(fix: leave /oauth2 on each authenticated host to the route PublicIngress renders to the sign-in proxy; route nothing else under /oauth2)';
    const line = (e: string, what: string) => `${e}/demo/web0/Resource: [sign-in-route] Ingress/web0: host "app.example.com" ${what} ${fix}`;
    const routeLines = (build: (c: PlatformChart) => void, env: Environment = prod({})) => problemsOf(build, env).filter((p) => p.includes('[sign-in-route]'));
    const proxy = 'the sign-in proxy (Service oauth2-proxy port 4180)';
    const elsewhere = (path: string, where: string) => `routes "${path}" (Ingress/${where}) to Service "ui" port 8080, not to ${proxy}: the sign-in pages of an authenticated host are the proxy's`;
    const toUi = patched('web0-sign-in', JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service', { name: 'ui', port: { number: 8080 } }));
    expect(routeLines(toUi)).toEqual([line('prod', elsewhere('/oauth2', 'web0-sign-in'))]);
    expect(routeLines(toUi, testEnv({ name: 'dev', ingress: { ...testEnv().ingress, auth: AUTH } }))).toEqual([line('dev', elsewhere('/oauth2', 'web0-sign-in'))]);
    const callback = patched('web0', JsonPatch.add('/spec/rules/0/http/paths/-', { path: '/oauth2/callback', pathType: 'Prefix', backend: { service: { name: 'ui', port: { number: 8080 } } } }));
    expect(routeLines(callback)).toEqual([line('prod', elsewhere('/oauth2/callback', 'web0'))]);
    const none = line('prod', `has no public /oauth2 prefix route to ${proxy}, where auth-signin sends a browser without a session`);
    const guardedItself = (c: PlatformChart) => (ingress(c, 'web0').toJson() as any).metadata.annotations;
    const cases = [
      patched('web0-sign-in', JsonPatch.replace('/spec/rules/0/host', 'other.example.com')),
      patched('web0-sign-in', JsonPatch.replace('/spec/rules/0/http/paths/0/pathType', 'Exact')),
      (c: PlatformChart) => {
        guarded('app.example.com')(c);
        const a = guardedItself(c);
        for (const k of ['auth-url', 'auth-signin']) ingress(c, 'web0-sign-in').metadata.addAnnotation(`${NGINX}/${k}`, a[`${NGINX}/${k}`]);
      },
    ];
    for (const build of cases) expect(routeLines(build)).toEqual([none]);
  });

  it('reaches an identity provider inside the cluster where the env says, and nothing on the internet then', () => {
    const keycloak = { description: 'identity provider (Keycloak)', ports: [8443], namespace: 'keycloak', podLabels: { 'app.kubernetes.io/name': 'keycloak' } };
    const r = renderChart(guarded('app.example.com'), prod({ egress: keycloak }));
    expect(r.find('NetworkPolicy', 'oauth2-proxy').spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keycloak' } }, podSelector: { matchLabels: keycloak.podLabels } }], ports: [{ protocol: 'TCP', port: 8443 }] },
    ]);
    expect(problemsOf(guarded('app.example.com'), prod({ egress: { ...keycloak, ports: [0] } }))).toEqual([
      'prod/demo/sign-in: env.ingress.auth.egress: "identity provider (Keycloak)": 0 is not a port; use a whole number from 1 to 65535',
    ]);
  });

  it('runs one pod outside production, two with a budget in production', () => {
    const one = renderChart(guarded('app.example.com'), testEnv({ ingress: { ...testEnv().ingress, auth: AUTH } }));
    expect(one.find('Deployment', 'oauth2-proxy').spec.replicas).toBe(1);
    const two = renderChart(guarded('app.example.com'), prod({}));
    expect(two.find('Deployment', 'oauth2-proxy').spec.replicas).toBe(2);
    expect(two.find('PodDisruptionBudget', 'oauth2-proxy')).toBeDefined();
  });
});
