import { describe, expect, it } from 'vitest';
import { comparePage, envPage } from '../src/docs/env-page';
import { SINGLETON_ANNOTATION } from '../src/documents';

// The env overview pages on documents as a reader could meet them: objects of other kinds that
// carry look-alike fields, and objects with parts left out. Each case reads what the page shows.

type Doc = Record<string, any>;

/** The rows of the comparison of env `a` (platform `p`, these documents) against env `b` (`other`). */
function compareRows(docs: Doc[], other: Doc[] = []): string[] {
  const out = comparePage([{ env: 'a', platform: 'p', docs }, { env: 'b', platform: 'p', docs: other }], ['a', 'b']);
  return out.trimEnd().split('\n').filter((l) => l.startsWith('| p · '));
}

/** The row of platform `p` on the page of env `a`. */
const envRow = (docs: Doc[]) => envPage('a', [{ env: 'a', platform: 'p', docs }]).split('\n').find((l) => l.startsWith('| [p]'));

const image = (img = 'registry.example/team/web:1') => ({ containers: [{ name: 'c', image: img }] });

describe('the comparison of envs', () => {
  it('takes hosts from Ingresses only, and skips an Ingress without rules or spec', () => {
    const lookAlike = { kind: 'IngressRoute', metadata: { name: 'r' }, spec: { rules: [{ host: 'other.example' }] } };
    expect(compareRows([lookAlike, { kind: 'Ingress', metadata: { name: 'bare' } }, { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'a.example' }] } }])).toEqual([
      '| p · host | a.example | — |',
    ]);
  });

  it('shows — for an env whose platform has no host', () => {
    expect(compareRows([], [{ kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'b.example' }] } }])).toEqual(['| p · host | — | b.example |']);
  });

  it('reads a pod range from HorizontalPodAutoscalers only, and copes with one missing its target', () => {
    const keda = { kind: 'ScaledObject', metadata: { name: 'web' }, spec: { scaleTargetRef: { name: 'web' }, minReplicaCount: 2, maxReplicaCount: 9 } };
    const docs = [
      keda,
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } },
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'y' }, spec: {} },
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' }, spec: { scaleTargetRef: { name: 'api' }, minReplicas: 2, maxReplicas: 6 } },
      { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, template: { spec: image() } } },
      { kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { spec: image('api:1') } } },
    ];
    expect(compareRows(docs)).toEqual(['| p · api image | api:1 | — |', '| p · api pods | 2–6 | — |', '| p · web image | web:1 | — |', '| p · web pods | 3 | — |']);
  });

  it('counts pods of Deployments and singleton StatefulSets; a plain StatefulSet and other annotated kinds show none', () => {
    const annotated = (kind: string, name: string, value: string) => ({ kind, metadata: { name, annotations: { [SINGLETON_ANNOTATION]: value } }, spec: {} });
    const docs = [
      annotated('StatefulSet', 'leader', 'true'),
      annotated('StatefulSet', 'follower', 'false'),
      annotated('StatefulSet', 'blank', ''),
      annotated('CronJob', 'report', 'true'),
      { kind: 'StatefulSet', metadata: { name: 'db' }, spec: {} },
      { kind: 'StatefulSet', metadata: { name: 'bare' } },
      { kind: 'StatefulSet' },
      { kind: 'Deployment', metadata: { name: 'web' } },
    ];
    expect(compareRows(docs)).toEqual(['| p · leader pods | 1 (singleton) | — |', '| p · web pods | 1 | — |']);
    // An object without metadata does not stop the page.
    expect(() => compareRows([{ kind: 'Deployment', spec: { replicas: 2 } }])).not.toThrow();
  });

  it('reads volume sizes from StatefulSet templates and PVCs only, 0 where no size is asked', () => {
    const docs = [
      { kind: 'Deployment', metadata: { name: 'web' }, spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '5Gi' } } } }] } },
      { kind: 'StatefulSet', metadata: { name: 'plain' }, spec: {} },
      { kind: 'StatefulSet', metadata: { name: 'a' }, spec: { volumeClaimTemplates: [{}] } },
      { kind: 'StatefulSet', metadata: { name: 'b' }, spec: { volumeClaimTemplates: [{ spec: {} }] } },
      { kind: 'StatefulSet', metadata: { name: 'c' }, spec: { volumeClaimTemplates: [{ spec: { resources: {} } }] } },
      { kind: 'StatefulSet', metadata: { name: 'd' }, spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '2Gi' } } } }] } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'e' } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'f' }, spec: {} },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'g' }, spec: { resources: {} } },
      { kind: 'ConfigMap' },
    ];
    expect(compareRows(docs).filter((r) => r.includes('volume'))).toEqual([
      '| p · a volume | 0 | — |',
      '| p · b volume | 0 | — |',
      '| p · c volume | 0 | — |',
      '| p · d volume | 2Gi | — |',
      '| p · e volume | 0 | — |',
      '| p · f volume | 0 | — |',
      '| p · g volume | 0 | — |',
    ]);
  });

  it('finds the envs alike when the only Ingress rule has no host', () => {
    const out = comparePage([{ env: 'a', platform: 'p', docs: [{ kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{}] } }] }], ['a', 'b']);
    expect(out.trimEnd().split('\n').at(-1)).toBe('Nothing: the envs are alike.');
  });
});

describe('the page of one env', () => {
  it('lists hosts of Ingresses only, skipping Ingresses without rules or spec', () => {
    const docs = [
      { kind: 'IngressRoute', metadata: { name: 'r' }, spec: { rules: [{ host: 'other.example' }] } },
      { kind: 'Ingress', metadata: { name: 'bare' } },
      { kind: 'Ingress', metadata: { name: 'norules' }, spec: {} },
      { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'a.example' }] } },
    ];
    expect(envRow(docs)).toBe('| [p](./p/README.md) | `` |  | a.example | 0 | 4 |');
  });

  it('leaves namespace and description empty when the Namespace has no metadata or no annotations', () => {
    expect(envRow([{ kind: 'Namespace' }])).toBe('| [p](./p/README.md) | `` |  |  | 0 | 1 |');
    expect(envRow([{ kind: 'Namespace', metadata: { name: 'p-a' } }])).toBe('| [p](./p/README.md) | `p-a` |  |  | 0 | 1 |');
  });
});
