import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { ScheduledRestart, Singleton } from '../src';
import { SINGLETON_ANNOTATION } from '../src/documents';
import { applySyncWaves } from '../src/delivery/waves';
import { renderedPlatforms, renderChart, SMALL, testEnv } from './helpers';

// At most one pod of a singleton, ever: a one-replica StatefulSet starts `<name>-0` again only
// once the old pod is gone from the API; a Deployment starts the replacement at once.

const IMAGE = 'ghcr.io/acme/engine:2.0.0';
const WAVE = 'argocd.argoproj.io/sync-wave';

describe('singletons of every platform and env', () => {
  it('render every Singleton the charts build as a StatefulSet of one replica, never a Deployment', () => {
    let found = 0;
    for (const env of Object.keys(overlays)) {
      for (const platform of platforms) {
        // The singletons, from the charts themselves.
        const app = new App();
        platform.build(app, overlays[env]);
        const names = app.node.findAll().filter((c): c is Singleton => c instanceof Singleton).map((c) => c.name);
        const objects = renderedPlatforms().objects.filter((o) => o.env === env && o.platform === platform.name);
        for (const name of names) {
          const where = `${env}/${platform.name}/${name}`;
          const runs = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.doc.kind) && o.doc.metadata.name === name).map((o) => o.doc);
          expect(runs.map((d) => d.kind), where).toEqual(['StatefulSet']);
          const [sts] = runs;
          expect(sts.spec.replicas, where).toBe(1);
          expect(sts.metadata.annotations[SINGLETON_ANNOTATION], where).toBe('true');
          expect(sts.spec.persistentVolumeClaimRetentionPolicy, where).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
          for (const o of objects.filter((x) => x.doc.kind === 'HorizontalPodAutoscaler')) expect(o.doc.spec.scaleTargetRef.name, where).not.toBe(name);
          for (const o of objects.filter((x) => x.doc.kind === 'PodDisruptionBudget')) expect(o.doc.spec.selector.matchLabels['app.kubernetes.io/name'], where).not.toBe(name);
          found++;
        }
        // and nothing else carries the singleton mark
        const marked = objects.filter((o) => o.doc.metadata.annotations?.[SINGLETON_ANNOTATION] === 'true').map((o) => o.doc.metadata.name);
        expect(marked.sort(), `${env}/${platform.name}`).toEqual([...names].sort());
      }
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe('Singleton', () => {
  const engine = (volumes = true) =>
    renderChart((chart) => {
      const s = new Singleton(chart, 'engine', {
        image: IMAGE,
        profile: { resources: SMALL },
        port: 7000,
        healthPath: '/health',
        volumes: volumes ? [{ name: 'data', mountPath: '/data', storage: { size: '1Gi' }, backupOnStart: { keep: 3, storage: { size: '2Gi' } } }] : [],
      });
      new ScheduledRestart(chart, 'nightly', { target: s, schedule: '0 0 * * *', image: 'rancher/kubectl:v1.27.16' });
    }, testEnv({ argocd: { repoURL: 'https://git.example.com/x.git', targetRevision: 'main', root: { project: 'test-apps', autoSync: true } }, apiServerCidrs: ['10.0.0.1/32'] }));

  it('mounts its volumes by the claim names a Deployment used, so the data moves with the switch', () => {
    const r = engine();
    const sts = r.find('StatefulSet', 'engine');
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    const claims = sts.spec.template.spec.volumes.filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.persistentVolumeClaim.claimName);
    expect(claims.sort()).toEqual(['engine-data']); // archives go to the object storage, not a claim
    for (const c of claims) expect(r.find('PersistentVolumeClaim', c).metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
  });

  it('syncs with the workloads (after the migration), its Service and claims with it, not with the databases', () => {
    const r = engine();
    expect(r.find('StatefulSet', 'engine').metadata.annotations[WAVE]).toBe('3');
    expect(r.find('Service', 'engine').metadata.annotations[WAVE]).toBe('3');
    expect(r.find('PersistentVolumeClaim', 'engine-data').metadata.annotations[WAVE]).toBe('3');
    // a database's StatefulSet and Service stay in wave 1
    const db: any[] = [
      { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { serviceName: 'db', template: { spec: {} } } },
      { kind: 'Service', metadata: { name: 'db' } },
    ];
    applySyncWaves(db);
    expect(db.map((d) => d.metadata.annotations[WAVE])).toEqual(['1', '1']);
  });

  it('is restarted on schedule as the StatefulSet it is, with a Role on exactly that StatefulSet', () => {
    const r = engine(false);
    const cron = r.find('CronJob', 'nightly');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].command.slice(0, 4)).toEqual(['kubectl', 'rollout', 'restart', 'statefulset/engine']);
    expect(r.find('Role', 'nightly').rules).toEqual([{ apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: ['engine'], verbs: ['get', 'patch'] }]);
  });
});
