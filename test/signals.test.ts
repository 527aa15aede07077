import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import type { Overlay } from '../charts/types';
import { overlays } from '../overlays';
import { NOT_INTERNET, render, Rendered } from '../src';
import { findObject, inPlatform, podSpecsOf, renderedPlatforms } from './helpers';

// Signals (seed 000): one Node.js process on 30050 (PM2's single instance, 4096M memory limit,
// restart at midnight) serving the apps, `/status` and the `/session` WebSocket.

const PLATFORM = 'signals';
const ENVS = ['dev', 'demo', 'prod'] as const;
const PORT = 30050;
/** Private ranges; the restart pod may reach the API server there, never the internet. */

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

const { objectsOf, docsOf, find, named, filesIn } = inPlatform(() => rendered, PLATFORM);
const settingsOf = (env: string) => overlays[env].signals;
const namespaceOf = (env: string) => `signals-${env}`;
const mainContainer = (doc: any) => podSpecsOf(doc)[0].containers[0];
const pathsOf = (ing: any) => Object.fromEntries(ing.spec.rules[0].http.paths.map((p: any) => [p.path, { type: p.pathType, ...p.backend.service }]));

describe.each(ENVS)('signals in %s', (env) => {
  it('runs one app process on 30050 with the seed 4Gi memory limit, as a singleton', () => {
    const app = find(env, 'StatefulSet', 'app');
    expect(app.spec.replicas).toBe(1);
    expect(app.kind).toBe('StatefulSet'); // its next pod starts only once the old one is gone
    expect(docsOf(env, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(named(env, 'PodDisruptionBudget', 'app')).toEqual([]);
    const c = mainContainer(app);
    expect(c.image).toBe(settingsOf(env).images.app);
    expect(c.ports).toEqual([{ name: 'http', containerPort: PORT, protocol: 'TCP' }]);
    expect(c.resources.limits.memory).toBe('4Gi');
    expect(c.readinessProbe.httpGet.port).toBe(PORT);
    expect(c.livenessProbe.httpGet.port).toBe(PORT);
    expect(find(env, 'Service', 'app').spec.ports).toEqual([{ name: 'http', port: PORT, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('routes / and /status to the app, and /session in the WebSocket Ingress with hour-long timeouts', () => {
    const host = settingsOf(env).host;
    expect(docsOf(env, 'Ingress').map((i) => i.metadata.name).sort()).toEqual(['web', 'web-sign-in', 'web-websocket']);
    const web = find(env, 'Ingress', 'web');
    const ws = find(env, 'Ingress', 'web-websocket');
    const app = { name: 'app', port: { number: PORT } };
    expect(pathsOf(web)).toEqual({ '/': { type: 'Prefix', ...app }, '/status': { type: 'Prefix', ...app } });
    expect(pathsOf(ws)).toEqual({ '/session': { type: 'Prefix', ...app } });
    expect(ws.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('3600');
    expect(ws.metadata.annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']).toBe('3600');
    // ordinary requests keep the controller's short timeouts
    expect(web.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBeUndefined();
    for (const ing of [web, ws]) {
      expect(ing.spec.rules[0].host, ing.metadata.name).toBe(host);
      expect(ing.spec.tls, ing.metadata.name).toEqual([{ hosts: [host], secretName: 'web-tls' }]);
    }
    // one of them asks cert-manager for the certificate both share
    expect(web.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(overlays[env].env.ingress.tlsIssuer.name);
  });

  it('restarts the app daily on the overlay schedule with `kubectl rollout restart`, never overlapping', () => {
    const cron = find(env, 'CronJob', 'daily-restart');
    expect(cron.spec.schedule).toBe(settingsOf(env).restartSchedule);
    expect(cron.spec.timeZone).toBe(overlays[env].env.timeZone ?? 'UTC');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('daily-restart');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.image).toBe(settingsOf(env).images.kubectl);
    expect(c.command).toEqual(['kubectl', 'rollout', 'restart', 'statefulset/app', `--namespace=${namespaceOf(env)}`]);
    // the ServiceAccount itself mounts no token; only this pod asks for one
    const account = find(env, 'ServiceAccount', 'daily-restart');
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it('lets the restart get and patch exactly the app StatefulSet, and nothing else', () => {
    expect(docsOf(env, 'Role').map((r) => r.metadata.name)).toEqual(['daily-restart']);
    expect(docsOf(env, 'RoleBinding').map((r) => r.metadata.name)).toEqual(['daily-restart']);
    expect(docsOf(env, 'ServiceAccount').map((r) => r.metadata.name)).toEqual(['daily-restart']);
    for (const kind of ['ClusterRole', 'ClusterRoleBinding']) expect(docsOf(env, kind), kind).toEqual([]);
    const role = find(env, 'Role', 'daily-restart');
    expect(role.metadata.namespace).toBe(namespaceOf(env));
    expect(role.rules).toEqual([{ apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: ['app'], verbs: ['get', 'patch'] }]);
    const binding = find(env, 'RoleBinding', 'daily-restart');
    expect(binding.metadata.namespace).toBe(namespaceOf(env));
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'daily-restart' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'daily-restart', namespace: namespaceOf(env) }]);
  });

  it("lets the restart pod reach only the env's API server addresses on 443/6443, and admits nobody", () => {
    const policy = find(env, 'NetworkPolicy', 'daily-restart');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'daily-restart', 'app.kubernetes.io/part-of': 'signals' });
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([
      {
        to: [...overlays[env].env.apiServerCidrs].sort().map((cidr) => ({ ipBlock: { cidr } })),
        ports: [
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 6443 },
        ],
      },
    ]);
    expect(JSON.stringify(policy.spec.egress)).not.toContain('0.0.0.0/0');
    expect(policy.metadata.annotations['trading-platform-manifests/external-egress']).toMatch(/Kubernetes API server/);
    // the CronJob's pods carry the labels the policy selects
    const labels = find(env, 'CronJob', 'daily-restart').spec.jobTemplate.spec.template.metadata.labels;
    expect(labels).toMatchObject(policy.spec.podSelector.matchLabels);
  });

  it('mounts a ServiceAccount token into no other pod of the namespace', () => {
    for (const o of objectsOf(env)) {
      for (const pod of podSpecsOf(o.doc)) {
        if (o.doc.kind === 'CronJob' && o.doc.metadata.name === 'daily-restart') continue;
        expect(pod.automountServiceAccountToken, o.path).toBe(false);
        expect(pod.serviceAccountName, o.path).toBeUndefined();
      }
    }
    // only the restart pod, the app and the sign-in proxy are workloads at all
    expect(objectsOf(env).filter((o) => podSpecsOf(o.doc).length > 0).map((o) => `${o.doc.kind}/${o.doc.metadata.name}`).sort()).toEqual([
      'CronJob/daily-restart',
      'Deployment/oauth2-proxy',
      'StatefulSet/app',
    ]);
  });

  it('reads PORT=30050 and the overlay settings from the settings ConfigMap, credentials from the overlay Secret', () => {
    const s = settingsOf(env);
    const configMaps = docsOf(env, 'ConfigMap');
    expect(configMaps).toHaveLength(1);
    const settings = configMaps[0];
    expect(settings.metadata.name).toMatch(/^settings-[0-9a-f]{10}$/);
    expect(settings.immutable).toBe(true);
    expect(settings.data.PORT).toBe(String(PORT));
    expect(settings.data).toMatchObject(s.settings);
    const c = mainContainer(find(env, 'StatefulSet', 'app'));
    expect(c.envFrom).toEqual([{ configMapRef: { name: settings.metadata.name } }]);
    expect(docsOf(env, 'Secret')).toEqual([]);
    expect(c.env).toEqual(
      [...s.secret.keys].sort().map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: s.secret.name, key } } })),
    );
  });

  it('lets the app out only on HTTPS to the public internet, admitting only the ingress controller', () => {
    const policy = find(env, 'NetworkPolicy', 'app');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': overlays[env].env.ingress.controllerNamespace });
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: PORT }]);
  });
});

describe('signals: how the envs differ', () => {
  it('references a different Secret in every env', () => {
    const names = ENVS.map((env) => overlays[env].signals.secret.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('holds the 4Gi memory limit in every env, whatever the requests', () => {
    for (const env of ENVS) expect(mainContainer(find(env, 'StatefulSet', 'app')).resources.limits.memory, env).toBe('4Gi');
  });

  it('follows the overlay: a new restart schedule changes the CronJob and nothing else', () => {
    const prod = overlays.prod;
    const modified: Overlay = { ...prod, signals: { ...prod.signals, restartSchedule: '30 4 * * 1-5' } };
    const only = platforms.filter((p) => p.name === PLATFORM);
    const before = render({ prod }, only);
    const after = render({ prod: modified }, only);
    const cron = findObject(after.objects, 'CronJob', 'daily-restart', 'prod', PLATFORM);
    expect(cron.spec.schedule).toBe('30 4 * * 1-5');
    const a = filesIn(before, 'prod');
    const b = filesIn(after, 'prod');
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(b).filter((p) => a[p] !== b[p]).sort()).toEqual(['prod/signals/README.md', 'prod/signals/daily-restart-cronjob.yaml']);
    expect(overlays.prod.signals.restartSchedule).toBe('0 0 * * *');
    expect(named('prod', 'CronJob', 'daily-restart')[0].spec.schedule).toBe('0 0 * * *');
  });
});
