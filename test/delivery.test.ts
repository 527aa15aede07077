import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { InputError, render, Rendered } from '../src';
import { schemaProblems } from '../src/synth/validate';
import { findObject, renderedPlatforms } from './helpers';

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

const ENVS = Object.keys(overlays);
const WAVE = 'argocd.argoproj.io/sync-wave';
const docs = (env: string, folder: string, kind?: string) =>
  rendered.objects.filter((o) => o.env === env && o.platform === folder && (kind === undefined || o.doc.kind === kind)).map((o) => o.doc);

describe.each(ENVS)('Argo CD objects of %s', (env) => {
  const settings = overlays[env].env.argocd!;
  const production = overlays[env].env.production === true;

  it('renders an AppProject that allows this repo, the env\'s platform namespaces and only the rendered kinds', () => {
    const project = findObject(rendered.objects, 'AppProject', env, env, 'argocd');
    expect(project.metadata.namespace).toBe('argocd');
    expect(project.spec.sourceRepos).toEqual([settings.repoURL]);
    expect(project.spec.destinations).toEqual(platforms.map((p) => ({ server: 'https://kubernetes.default.svc', namespace: `${p.name}-${env}` })));
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    const allowed = new Set(project.spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`));
    const rendered_ = new Set(
      platforms.flatMap((p) => docs(env, p.name).filter((d) => d.kind !== 'Namespace').map((d) => `${d.apiVersion.includes('/') ? d.apiVersion.split('/')[0] : ''}/${d.kind}`)),
    );
    expect(allowed).toEqual(rendered_);
    expect(allowed.has('/Secret')).toBe(false);
  });

  it('renders one Application per platform at the env\'s revision, automated only outside production, without CreateNamespace', () => {
    const apps = docs(env, 'argocd', 'Application').filter((a) => a.metadata.name !== `${env}-apps`);
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(platforms.map((p) => `${p.name}-${env}`).sort());
    for (const app of apps) {
      const platform = app.metadata.name.slice(0, -(env.length + 1));
      expect(app.spec.project).toBe(env);
      expect(app.spec.source).toEqual({ repoURL: settings.repoURL, targetRevision: settings.targetRevision, path: `dist/${env}/${platform}` });
      expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: `${platform}-${env}` });
      if (production) expect(app.spec.syncPolicy.automated).toBeUndefined();
      else expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
    }
  });

  it('renders a root Application that syncs this folder (app of apps) in its own project, with the overlay\'s sync policy', () => {
    const root = findObject(rendered.objects, 'Application', `${env}-apps`, env, 'argocd');
    expect(root.spec.source).toEqual({ repoURL: settings.repoURL, targetRevision: settings.targetRevision, path: `dist/${env}/argocd` });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(root.spec.project).toBe(settings.root.project);
    expect(root.spec.project).not.toBe('default');
    expect(root.spec.project).not.toBe(env);
    if (production) expect(root.spec.syncPolicy.automated, 'a production root never syncs on its own').toBeUndefined();
    else expect(root.spec.syncPolicy.automated).toEqual(settings.root.autoSync ? { prune: true, selfHeal: true } : undefined);
  });

  it('renders the root\'s project: only Applications and AppProjects, only in Argo CD\'s namespace, only from this repository', () => {
    const project = findObject(rendered.objects, 'AppProject', settings.root.project, env, 'argocd');
    expect(project.metadata.namespace).toBe('argocd');
    expect(project.spec.sourceRepos).toEqual([settings.repoURL]);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
    ]);
    expect(project.spec.namespaceResourceBlacklist).toBeUndefined();
    // Everything the root syncs is allowed by it, and nothing else is in the folder.
    const kinds = new Set(docs(env, 'argocd').map((d) => `${d.apiVersion.split('/')[0]}/${d.kind}`));
    expect(kinds).toEqual(new Set(['argoproj.io/AppProject', 'argoproj.io/Application']));
  });

  it('renders schema-valid Argo CD objects', () => {
    for (const d of docs(env, 'argocd')) expect(schemaProblems(d), `${d.kind}/${d.metadata.name}`).toEqual([]);
    const broken = { ...findObject(rendered.objects, 'Application', `peripheral-${env}`, env, 'argocd') };
    broken.spec = { ...broken.spec, syncPolicy: { automated: { prune: 'yes' } } };
    expect(schemaProblems(broken).join('\n')).toMatch(/spec\.syncPolicy\.automated\.prune must be boolean/);
  });
});

describe('the root Application refuses settings that bypass review', () => {
  const renderWith = (env: string, root: unknown) => {
    const overlay = overlays[env];
    const changed = { ...overlay, env: { ...overlay.env, argocd: { ...overlay.env.argocd!, root: root as any } } };
    try {
      render({ [env]: changed }, platforms);
      return [];
    } catch (e) {
      if (e instanceof InputError) return e.problems;
      throw e;
    }
  };
  const prod = Object.keys(overlays).find((e) => overlays[e].env.production === true)!;
  const other = Object.keys(overlays).find((e) => overlays[e].env.production !== true)!;

  it('fails when a production root syncs on its own', () => {
    expect(renderWith(prod, { project: `${prod}-apps`, autoSync: true }).join('\n')).toContain(
      `${prod}/argocd: env.argocd.root.autoSync: true in a production env; its root Application never prunes or self-heals on its own`,
    );
    expect(renderWith(other, { project: `${other}-apps`, autoSync: true })).toEqual([]);
  });

  it('fails when the root shares a project, or has none', () => {
    expect(renderWith(prod, { project: 'default', autoSync: false }).join('\n')).toContain('env.argocd.root.project: "default" is shared with every Application Argo CD has');
    expect(renderWith(prod, { project: prod, autoSync: false }).join('\n')).toContain(`env.argocd.root.project: "${prod}" is shared with the env's platforms`);
    const missing = renderWith(prod, undefined).join('\n');
    // The input schema refuses it before the chart reads it.
    expect(missing).toContain('prod: env.argocd.root: required; expected an object');
  });
});

describe('sync waves', () => {
  const waveOf = (env: string, platform: string, kind: string, name: string) => findObject(rendered.objects, kind, name, env, platform).metadata.annotations?.[WAVE];

  it('orders each platform: foundation, data, migration, workloads, ingress, cron jobs', () => {
    for (const env of ENVS) {
      expect(waveOf(env, 'peripheral', 'Namespace', `peripheral-${env}`)).toBe('0');
      expect(waveOf(env, 'peripheral', 'NetworkPolicy', 'default-deny')).toBe('0');
      expect(waveOf(env, 'signals', 'ServiceAccount', 'daily-restart')).toBe('0');
      expect(waveOf(env, 'signals', 'Role', 'daily-restart')).toBe('0');
      expect(waveOf(env, 'peripheral', 'StatefulSet', 'db')).toBe('1');
      expect(waveOf(env, 'peripheral', 'Service', 'db')).toBe('1');
      expect(waveOf(env, 'peripheral', 'Deployment', 'backend')).toBe('3');
      expect(waveOf(env, 'peripheral', 'Service', 'backend')).toBe('3');
      expect(waveOf(env, 'breakout-bot', 'ServiceMonitor', 'api')).toBe('3');
      expect(waveOf(env, 'peripheral', 'Ingress', 'web')).toBe('4');
      expect(waveOf(env, 'peripheral', 'CronJob', 'db-backup')).toBe('5');
    }
  });

  it('puts a PVC in the wave of the pod that mounts it', () => {
    // A WaitForFirstConsumer PVC stays Pending until a pod mounts it; Argo CD waits for it.
    expect(waveOf('prod', 'breakout-bot', 'PersistentVolumeClaim', 'api-data')).toBe('3');
  });

  it('runs the migration as a Sync hook between the databases and the workloads, deleted once it succeeds', () => {
    for (const env of ENVS) {
      for (const platform of ['peripheral', 'tradebot']) {
        const [job] = docs(env, platform, 'Job');
        expect(job.metadata.annotations).toEqual({
          'argocd.argoproj.io/hook': 'Sync',
          'argocd.argoproj.io/sync-wave': '2',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
        });
        expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
      }
    }
  });

  it('annotates every object of every platform, hooks with their own wave', () => {
    for (const o of rendered.objects.filter((x) => x.platform !== 'argocd')) expect(o.doc.metadata.annotations?.[WAVE], o.path).toMatch(/^[0-5]$/);
  });
});

describe('secrets', () => {
  it('renders one schema-valid ExternalSecret per Secret a platform reads, where the env uses a store', () => {
    for (const env of ['demo', 'prod']) {
      const s = overlays[env].env.externalSecrets!;
      for (const p of platforms) {
        const refs = new Map<string, Set<string>>();
        for (const d of docs(env, p.name)) {
          const spec = d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template.spec : d.spec?.template?.spec;
          for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
            for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.set(e.valueFrom.secretKeyRef.name, (refs.get(e.valueFrom.secretKeyRef.name) ?? new Set()).add(e.valueFrom.secretKeyRef.key));
          }
          // Keys mounted as files (Redis' password).
          for (const v of spec?.volumes ?? []) for (const i of v.secret?.items ?? []) refs.set(v.secret.secretName, (refs.get(v.secret.secretName) ?? new Set()).add(i.key));
        }
        const externals = docs(env, p.name, 'ExternalSecret');
        expect(externals.map((x) => x.metadata.name).sort(), `${env}/${p.name}`).toEqual([...refs.keys()].sort());
        for (const x of externals) {
          expect(schemaProblems(x)).toEqual([]);
          expect(x.spec.secretStoreRef).toEqual(s.store);
          expect(x.spec.target).toEqual({ name: x.metadata.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' });
          expect(x.spec.data.map((d: any) => d.secretKey)).toEqual([...refs.get(x.metadata.name)!].sort());
          for (const d of x.spec.data) expect(d.remoteRef).toEqual({ key: `${s.path}/${p.name}/${x.metadata.name}`, property: d.secretKey });
          expect(x.metadata.annotations[WAVE]).toBe('0');
        }
      }
    }
    expect(overlays.demo.env.externalSecrets!.store.name).not.toBe(overlays.prod.env.externalSecrets!.store.name);
  });

  it('renders no ExternalSecret where the env has no store (dev), and never a Secret', () => {
    expect(rendered.objects.filter((o) => o.env === 'dev' && o.doc.kind === 'ExternalSecret')).toEqual([]);
    expect(rendered.objects.filter((o) => o.doc.kind === 'Secret')).toEqual([]);
  });

  it('lists every Secret name and key of every platform in dist/<env>/SECRETS.md', () => {
    for (const env of ENVS) {
      const page = rendered.files.get(`${env}/SECRETS.md`)!;
      expect(page).toContain(`# Secrets of ${env}`);
      for (const p of platforms) {
        for (const d of docs(env, p.name)) {
          const spec = d.kind === 'CronJob' ? d.spec.jobTemplate.spec.template.spec : d.spec?.template?.spec;
          for (const c of spec?.containers ?? []) {
            for (const e of c.env ?? []) {
              const ref = e.valueFrom?.secretKeyRef;
              if (ref) expect(page, `${env} ${ref.name}/${ref.key}`).toMatch(new RegExp(`\\| ${p.name} \\| \`${p.name}-${env}\` \\| \`${ref.name}\` \\| [^|]*\`${ref.key}\``));
            }
          }
        }
      }
    }
    expect(rendered.files.get('dev/SECRETS.md')).toContain('Create these Secrets in each namespace before the first sync');
    expect(rendered.files.get('prod/SECRETS.md')).toContain('External Secrets Operator creates these Secrets from the ClusterSecretStore `vault-prod`');
  });
});
