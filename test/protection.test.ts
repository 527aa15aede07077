import { beforeAll, describe, expect, it } from 'vitest';
import { overlays } from '../overlays';
import type { Rendered } from '../src';
import { dataObjects, protectData, SYNC_OPTIONS, TRACKING_KEYS } from '../src/delivery/protection';
import { renderedPlatforms } from './helpers';

let rendered: Rendered;
beforeAll(() => {
  rendered = renderedPlatforms();
});

/** The sync options an object states, as Argo CD reads them (comma separated, trimmed). */
const syncOptions = (doc: any): string[] =>
  String(doc.metadata?.annotations?.[SYNC_OPTIONS] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');

/** Every env × platform folder of the render, found from the render itself. */
const folders = () => {
  const seen = new Map<string, { env: string; platform: string; docs: any[] }>();
  for (const o of rendered.objects) {
    if (o.platform === 'argocd') continue;
    const key = `${o.env}/${o.platform}`;
    if (!seen.has(key)) seen.set(key, { env: o.env, platform: o.platform, docs: [] });
    seen.get(key)!.docs.push(o.doc);
  }
  return [...seen.values()];
};

describe('nothing a sync does deletes data', () => {
  it('finds data in the render: every env renders PVCs and StatefulSet claims', () => {
    for (const env of Object.keys(overlays)) {
      const held = folders().filter((f) => f.env === env).flatMap((f) => dataObjects(f.docs));
      expect(held.some((d) => d.kind === 'PersistentVolumeClaim'), env).toBe(true);
      expect(held.some((d) => d.kind === 'StatefulSet claim'), env).toBe(true);
    }
  });

  it('marks every PVC and every Namespace of every platform and env Prune=false,Delete=false', () => {
    let checked = 0;
    for (const f of folders()) {
      for (const d of f.docs.filter((x) => x.kind === 'PersistentVolumeClaim' || x.kind === 'Namespace')) {
        const options = syncOptions(d);
        expect(options, `${f.env}/${f.platform} ${d.kind}/${d.metadata.name}`).toContain('Prune=false');
        expect(options, `${f.env}/${f.platform} ${d.kind}/${d.metadata.name}`).toContain('Delete=false');
        expect(options.filter((o) => /^(Prune|Delete)=/.test(o)), `${f.env}/${f.platform} ${d.kind}/${d.metadata.name}`).toHaveLength(2);
        checked++;
      }
      // The Namespace of a platform that holds data is kept, so its claims are too.
      if (dataObjects(f.docs).length > 0) expect(f.docs.filter((x) => x.kind === 'Namespace'), `${f.env}/${f.platform}`).toHaveLength(1);
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('keeps the claims of every StatefulSet, which Argo CD does not track', () => {
    for (const f of folders()) {
      for (const sts of f.docs.filter((x) => x.kind === 'StatefulSet')) {
        const where = `${f.env}/${f.platform} StatefulSet/${sts.metadata.name}`;
        expect(sts.spec.persistentVolumeClaimRetentionPolicy, where).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
        for (const t of sts.spec.volumeClaimTemplates ?? []) {
          const keys = [...Object.keys(t.metadata?.labels ?? {}), ...Object.keys(t.metadata?.annotations ?? {})];
          for (const k of TRACKING_KEYS) expect(keys, `${where} claim ${t.metadata.name}`).not.toContain(k);
        }
      }
    }
  });

  it('deletes a removed platform\'s workloads with its Application (resources finalizer), never the root\'s children', () => {
    for (const env of Object.keys(overlays)) {
      const apps = rendered.objects.filter((o) => o.env === env && o.platform === 'argocd' && o.doc.kind === 'Application').map((o) => o.doc);
      for (const app of apps) {
        if (app.spec.source.path === `dist/${env}/argocd`) expect(app.metadata.finalizers, app.metadata.name).toBeUndefined();
        else expect(app.metadata.finalizers, app.metadata.name).toEqual(['resources-finalizer.argocd.argoproj.io']);
      }
    }
  });

  it('keeps an object\'s other sync options and overrides its own Prune or Delete', () => {
    const docs: any[] = [
      { kind: 'PersistentVolumeClaim', metadata: { name: 'x', annotations: { [SYNC_OPTIONS]: 'ServerSideApply=true, Prune=true,Delete=confirm' } } },
      { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } } },
      { kind: 'Deployment', metadata: { name: 'web' }, spec: {} },
    ];
    protectData(docs);
    expect(docs[0].metadata.annotations[SYNC_OPTIONS]).toBe('ServerSideApply=true,Prune=false,Delete=false');
    expect(docs[1].spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(docs[2].metadata.annotations).toBeUndefined();
  });
});
