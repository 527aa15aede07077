/**
 * The render pipeline itself (src/synth/render.ts), on small charts: the order of a folder's
 * objects, the problems it reports and how, which envs and platforms get which derived objects,
 * and the timings it measures. Each test renders its own chart inside the test.
 */
import { ApiObject, Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { describe, expect, it } from 'vitest';
import { PlatformChart, PlatformChartProps, render, RenderOptions, secretKey, Worker } from '../src';
import { applyOrder, compare, OverlayBase, PlatformEntry } from '../src/synth/render';
import { inputErrorOf, problemsOf, renderChart, SMALL, testEnv } from './helpers';

const HEADER = '# Rendered by trading-platform-manifests (npx cdk8s synth); edit the charts and overlays, not this file.';
const IMAGE = 'ghcr.io/acme/api:1.2.3';
const WAVE = 'argocd.argoproj.io/sync-wave';
const ARGOCD = { repoURL: 'https://git.example.com/platform/manifests.git', targetRevision: 'main', root: { project: 'test-apps', autoSync: true } };
const STORE = { store: { kind: 'ClusterSecretStore' as const, name: 'vault' }, path: 'trading/test' };

/** A platform `demo` built by `build` in a PlatformChart with `props`. */
function demo(build: (chart: PlatformChart) => void, props: Partial<PlatformChartProps> = {}): PlatformEntry<OverlayBase> {
  return {
    name: 'demo',
    build: (scope, o) => {
      const chart = new PlatformChart(scope, 'demo', { env: o.env, ...props });
      build(chart);
      return chart;
    },
  };
}

/** The problems of a render that must fail. */
function problemsOfRender(overlays: Record<string, OverlayBase>, platforms: PlatformEntry<OverlayBase>[], options?: RenderOptions): readonly string[] {
  return inputErrorOf(() => render(overlays, platforms, options)).problems;
}

const configMap = (c: PlatformChart, name: string, id = name) => new k8s.KubeConfigMap(c, id, { metadata: c.metadata(name), data: { LOG_LEVEL: 'info' } });
const worker = (c: PlatformChart, env: Record<string, any> = {}) => new Worker(c, 'worker', { image: IMAGE, profile: { replicas: 1, resources: SMALL }, health: { exec: ['true'] }, env });

describe('the order of a folder\'s objects', () => {
  it('lists the objects and the kustomization in apply order, whatever order the chart made them in: by kind, unknown kinds last, then by name', () => {
    const r = renderChart((c) => {
      new ApiObject(c, 'template', { apiVersion: 'v1', kind: 'PodTemplate', metadata: c.metadata('template') });
      configMap(c, 'b');
      new ApiObject(c, 'endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: c.metadata('endpoints') });
      configMap(c, 'a');
      new k8s.KubeServiceAccount(c, 'sa', { metadata: c.metadata('zz') });
    });
    const files = [
      'demo-test-namespace.yaml',
      'allow-dns-networkpolicy.yaml',
      'default-deny-networkpolicy.yaml',
      'zz-serviceaccount.yaml',
      'a-configmap.yaml',
      'b-configmap.yaml',
      'endpoints-endpoints.yaml',
      'template-podtemplate.yaml',
    ];
    expect(r.objects.map((o) => o.path)).toEqual(files.map((f) => `test/demo/${f}`));
    expect(r.files.get('test/demo/kustomization.yaml')).toBe(
      [HEADER, 'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...files.map((f) => `  - ${f}`), ''].join('\n'),
    );
  });

  it('applies what others depend on first: the foundation, ExternalSecrets before ConfigMaps, data, workloads, routes, Argo CD', () => {
    const kinds = [
      'Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ExternalSecret', 'ConfigMap',
      'PersistentVolumeClaim', 'Service', 'StatefulSet', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
      'Job', 'CronJob', 'Ingress', 'ServiceMonitor', 'AppProject', 'Application',
    ];
    // unknown kinds, one sorting before every known kind by name and one after
    const objects = [...kinds, 'AAA', 'Zzz'].map((kind) => ({ kind, name: 'x' }));
    const shuffled = [...objects].reverse();
    shuffled.push(shuffled.shift()!, shuffled.shift()!, shuffled.shift()!);
    expect(shuffled.sort(applyOrder).map((o) => o.kind)).toEqual([...kinds, 'AAA', 'Zzz']);
  });

  it('orders objects of one kind by name', () => {
    const objects = [{ kind: 'Service', name: 'web' }, { kind: 'Service', name: 'api' }, { kind: 'Service', name: 'web' }];
    expect(objects.sort(applyOrder).map((o) => o.name)).toEqual(['api', 'web', 'web']);
  });

  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['B', 'a', -1], // upper case first, as in code points, whatever the locale
    ['a', 'B', 1],
    ['z', 'é', -1],
  ])('compares %s and %s in code-point order: %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });
});

describe('the problems a render reports', () => {
  it('reports a construct that crashed as one line marked as a bug, with its message', () => {
    const crash = [{ name: 'demo', build: () => { throw new Error('boom'); } }];
    expect(problemsOfRender({ test: { env: testEnv() } }, crash)).toEqual(['test/demo: unexpected error (a bug in the chart or the library; DEBUG=1 shows where): boom']);
  });

  it('reports a thrown value that is not an Error as it is', () => {
    const crash = [{ name: 'demo', build: () => { throw 'the widget fell over'; } }];
    expect(problemsOfRender({ test: { env: testEnv() } }, crash)).toEqual(['test/demo: unexpected error (a bug in the chart or the library; DEBUG=1 shows where): the widget fell over']);
  });

  it('adds the stack trace of the crash when asked to debug', () => {
    const crash = [{ name: 'demo', build: () => { throw new Error('boom'); } }];
    const problems = problemsOfRender({ test: { env: testEnv() } }, crash, { debug: true });
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/^Error: boom\n\s+at /);
  });

  it('reports the problems a chart\'s constructs find alone, without what rendering the broken chart would add', () => {
    const problems = problemsOf((c) => {
      c.node.addValidation({ validate: () => ['the widget is broken'] });
      new k8s.KubeConfigMap(c, 'settings', { metadata: c.metadata('settings'), data: { LOG_LEVEL: 1 as any } });
    });
    expect(problems).toEqual(['test/demo: the widget is broken']);
  });

  it('names the env, platform, kind and object of a document its schema refuses', () => {
    const problems = problemsOf((c) => void new ApiObject(c, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: c.metadata('settings'), data: { LOG_LEVEL: 1 } }));
    expect(problems).toEqual(['test/demo/ConfigMap/settings: data.LOG_LEVEL must be string {"type":"string"}']);
  });

  it('fails when two objects render to the same file, naming the file', () => {
    const problems = problemsOf((c) => {
      configMap(c, 'settings');
      configMap(c, 'settings', 'settings-again');
    });
    expect(problems).toContain('test/demo/ConfigMap/settings: renders to test/demo/settings-configmap.yaml, which another object already uses; give one of them another name');
  });

  it('fails when a platform would claim more than its budget, with the figures indented under the line', () => {
    const budget = { cpu: '10m', memory: '64Mi', storage: '1Gi', pods: 1 };
    const problems = problemsOfRender({ test: { env: testEnv() } }, [demo((c) => void worker(c), { budget })]);
    expect(problems).toHaveLength(1);
    const [line, ...table] = problems[0].split('\n');
    expect(line).toBe(
      'test/demo: over budget: CPU requests reach 100m in the worst case; the budget is 10m; memory limits reach 256Mi in the worst case; the budget is 64Mi; ' +
        'pods reach 2 in the worst case; the budget is 1; raise the budget in the test overlay or lower replicas or resources',
    );
    expect(table[0]).toBe('      | | CPU requests | CPU limits | memory requests | memory limits | pods | storage |');
    expect(table.length).toBeGreaterThan(4);
    for (const row of table) expect(row).toMatch(/^ {6}(\||$)/);
  });

  it('names an ExternalSecret it derives by the platform and the Secret it stands for', () => {
    // a token pasted into the store's path: reported in the overlay and in the document it reaches
    const store = { ...STORE, path: `trading/ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}` };
    const problems = problemsOf((c) => void worker(c, { DB_PASSWORD: secretKey('db-credentials', 'password') }), testEnv({ externalSecrets: store }));
    expect(problems.filter((p) => p.includes('ExternalSecret/')).map((p) => p.slice(0, p.indexOf(': spec.')))).toEqual(['test/demo/external-secrets/db-credentials: ExternalSecret/db-credentials']);
  });

  it('reports the problems of the env\'s Argo CD settings in the same run as a broken platform\'s', () => {
    const env = testEnv({ argocd: { ...ARGOCD, repoURL: 'git.example.com/manifests' } });
    const problems = problemsOf((c) => c.node.addValidation({ validate: () => ['the widget is broken'] }), env);
    expect(problems).toEqual(['test/demo: the widget is broken', 'test/argocd: env.argocd.repoURL: "git.example.com/manifests" is not a git URL (https://…, ssh://… or git@…)']);
  });

  it('fails when an overlay\'s env names another env', () => {
    expect(problemsOfRender({ staging: { env: testEnv() } }, [demo(() => {})])).toEqual(['staging: env.name is "test"; it must equal the overlay\'s key "staging"']);
  });

  it('fails when a platform\'s chart has another id than the platform', () => {
    const other = { name: 'demo', build: (scope: any, o: OverlayBase) => new PlatformChart(scope, 'other', { env: o.env }) };
    expect(problemsOfRender({ test: { env: testEnv() } }, [other])).toEqual(['test/demo: the chart\'s id is "other"; it must equal the platform name']);
  });

  it('builds nothing of an env whose settings are wrong', () => {
    const crash = [{ name: 'demo', build: () => { throw new Error('built an env with wrong settings'); } }];
    const problems = problemsOfRender({ test: { env: { ...testEnv(), production: 'no' as any } } }, crash);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith('test: env.production'))).toBe(true);
  });

  it('takes a Secret reference in an overlay for what it is, not for a credential', () => {
    const overlay = { env: testEnv(), smtp: { password: secretKey('smtp-credentials', 'password') } };
    expect(() => render({ test: overlay }, [demo(() => {})])).not.toThrow();
  });
});

describe('what a platform renders beside its charts\' objects', () => {
  it('fails when a chart sits inside the platform\'s chart, whose objects would otherwise be left out', () => {
    const problems = problemsOf((c) => {
      configMap(c, 'own');
      new k8s.KubeConfigMap(new Chart(c, 'extra'), 'nested', { metadata: { name: 'nested' }, data: { LOG_LEVEL: 'info' } });
    });
    expect(problems).toEqual(['test/demo/extra: a chart inside the demo chart, whose objects synth would leave out; create them in the demo chart itself']);
  });

  it('renders the platform\'s chart, not the chart of another platform built in the same app', () => {
    const r = render({ test: { env: testEnv() } }, [
      demo((c) => {
        const other = new PlatformChart(c.node.scope!, 'other', { env: c.env });
        configMap(other, 'foreign');
        configMap(c, 'own');
      }),
    ]);
    expect(r.objects.filter((o) => o.doc.kind === 'ConfigMap').map((o) => o.path)).toEqual(['test/demo/own-configmap.yaml']);
    expect(r.objects.filter((o) => o.doc.kind === 'Namespace').map((o) => o.doc.metadata.name)).toEqual(['demo-test']);
  });

  it('renders an ExternalSecret for each Secret the pods read where the env uses a store, before the ConfigMaps, and none where it does not', () => {
    const build = (c: PlatformChart) => {
      configMap(c, 'settings');
      worker(c, { DB_PASSWORD: secretKey('db-credentials', 'password') });
    };
    const withStore = renderChart(build, testEnv({ externalSecrets: STORE }));
    const paths = withStore.objects.map((o) => o.path);
    expect(paths).toContain('test/demo/db-credentials-externalsecret.yaml');
    expect(paths.indexOf('test/demo/db-credentials-externalsecret.yaml')).toBe(paths.indexOf('test/demo/settings-configmap.yaml') - 1);
    expect(withStore.find('ExternalSecret', 'db-credentials').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault' });
    const without = renderChart(build);
    expect(without.objects.filter((o) => o.doc.kind === 'ExternalSecret')).toEqual([]);
  });

  it('keeps the Namespace through prune and Application deletion, also where the env has no Argo CD', () => {
    const r = renderChart(() => {});
    expect(r.find('Namespace', 'demo-test').metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  it('puts sync waves on every object of a platform only where the env uses Argo CD', () => {
    const plain = renderChart((c) => void configMap(c, 'settings'));
    expect(plain.objects.filter((o) => o.doc.metadata.annotations?.[WAVE] !== undefined)).toEqual([]);
    const argo = renderChart((c) => void configMap(c, 'settings'), testEnv({ argocd: ARGOCD }));
    const platform = argo.objects.filter((o) => o.platform === 'demo');
    expect(platform.length).toBeGreaterThan(0);
    for (const o of platform) expect(o.doc.metadata.annotations?.[WAVE], o.path).toBe('0');
  });

  it('renders the env\'s Argo CD objects into their own folder, without sync waves or a platform page, allowing exactly the kinds the platforms render', () => {
    const r = renderChart((c) => {
      configMap(c, 'settings');
      new k8s.KubeServiceAccount(c, 'sa', { metadata: c.metadata('runner') });
    }, testEnv({ argocd: ARGOCD }));
    const argo = r.objects.filter((o) => o.platform === 'argocd');
    expect(argo.map((o) => o.path)).toEqual([
      'test/argocd/test-appproject.yaml',
      'test/argocd/test-apps-appproject.yaml',
      'test/argocd/demo-test-application.yaml',
      'test/argocd/test-apps-application.yaml',
    ]);
    for (const o of argo) expect(o.doc.metadata.annotations?.[WAVE], o.path).toBeUndefined();
    expect([...r.files.keys()].filter((p) => p.startsWith('test/argocd/'))).toEqual([...argo.map((o) => o.path), 'test/argocd/kustomization.yaml']);
    expect(r.find('AppProject', 'test').spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'ConfigMap' },
      { group: '', kind: 'ServiceAccount' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ]);
  });

  it('describes the platform on its page from its Namespace', () => {
    const r = render({ test: { env: testEnv() } }, [demo(() => {}, { description: 'Order matching and the trading API.' })]);
    expect(r.files.get('test/demo/README.md')).toContain('\n\nOrder matching and the trading API.\n');
  });

  it('returns no waivers where nothing is waived', () => {
    expect(renderChart(() => {}).waivers).toEqual([]);
  });
});

describe('timings', () => {
  it('adds the milliseconds of each phase to the figures it is given', () => {
    const timings: Record<string, number> = { build: 1_000_000 };
    const start = performance.now();
    render({ test: { env: testEnv({ argocd: ARGOCD }) } }, [demo((c) => void worker(c))], { timings });
    const elapsed = performance.now() - start;
    expect(Object.keys(timings).sort()).toEqual(['apiserver', 'build', 'credentials', 'policy', 'validate', 'yaml']);
    expect(timings.build).toBeGreaterThanOrEqual(1_000_000);
    const spent = { ...timings, build: timings.build - 1_000_000 };
    for (const [phase, ms] of Object.entries(spent)) {
      expect(ms, phase).toBeGreaterThanOrEqual(0);
      expect(ms, phase).toBeLessThanOrEqual(elapsed);
    }
  });
});
