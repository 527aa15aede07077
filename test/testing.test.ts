import { describe, expect, it } from 'vitest';
import { hardeningGaps, servicesWithoutPods } from '../src/testing';
import type { RenderedObject } from '../src';

// The testing entry point's checks are the policy's own: they must find what the policy finds.

const hardened = {
  securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      ports: [{ name: 'http', containerPort: 8080 }],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  ],
};

const at = (doc: Record<string, any>, platform = 'p'): RenderedObject => ({ env: 'test', platform, path: `test/${platform}/${doc.metadata.name}`, doc });
const deployment = (name: string, labels: Record<string, string>, spec: any = hardened) =>
  at({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } });
const service = (name: string, selector: Record<string, string>, targetPort: string | number = 'http', platform = 'p') =>
  at({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort }] } }, platform);

describe('hardeningGaps', () => {
  it('finds nothing in a hardened pod spec', () => {
    expect(hardeningGaps(hardened)).toEqual([]);
  });

  it('names each gap: a privileged container with a writable root, no limits, and a pod without its own settings', () => {
    const c = hardened.containers[0];
    const gaps = hardeningGaps({ containers: [{ ...c, resources: {}, securityContext: { ...c.securityContext, privileged: true, readOnlyRootFilesystem: false } }] });
    expect(gaps).toEqual(
      expect.arrayContaining([
        'app is privileged',
        'app has a writable root filesystem',
        'app has no requests.cpu, requests.memory, limits.memory',
        'pod does not set runAsNonRoot',
        'pod has no RuntimeDefault seccomp profile',
        'pod does not set a non-zero runAsUser',
      ]),
    );
  });
});

describe('servicesWithoutPods', () => {
  it('finds nothing when every Service selects a pod that declares its target port', () => {
    expect(servicesWithoutPods([deployment('api', { app: 'api' }), service('api', { app: 'api' })])).toEqual([]);
  });

  it('names a Service that selects no pod, one whose port targets nothing, and one whose pods are in another platform', () => {
    const objects = [deployment('api', { app: 'api' }), service('lost', { app: 'nope' }), service('wrong-port', { app: 'api' }, 'metrics'), service('elsewhere', { app: 'api' }, 'http', 'q')];
    expect(servicesWithoutPods(objects)).toEqual([
      'lost: selects no pod ({"app":"nope"})',
      'wrong-port: port http targets "metrics", which no selected container declares',
      'elsewhere: selects no pod ({"app":"api"})',
    ]);
  });
});
