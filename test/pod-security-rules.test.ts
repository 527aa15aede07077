import { describe, expect, it } from 'vitest';
import { POD_SECURITY_RULES, resourceProblems, restrictedProblems } from '../src/policy/pod-security';
import { testEnv } from './helpers';

// Pod Security "restricted", resources and probes, judged on hand-written pod specs: what passes
// (pod-level settings a container inherits, the volume types and the one capability restricted
// allows) and each thing that breaks it, by container.

type Doc = Record<string, any>;
const HARDENED = { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };
const container = (name: string, securityContext: Doc = HARDENED, extra: Doc = {}) => ({ name, image: 'ghcr.io/acme/api:1.2.3', securityContext, ...extra });

describe('Pod Security restricted', () => {
  it('passes a hardened pod, settings it inherits from the pod, NET_BIND_SERVICE and every volume type restricted allows', () => {
    const volumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'].map((type, i) => ({ name: `v${i}`, [type]: {} }));
    const inherits = container('app', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsUser: 1000 }, { ports: [{ containerPort: 8080 }] });
    expect(restrictedProblems({ containers: [container('api')] })).toEqual([]);
    expect(restrictedProblems({ securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }, volumes, initContainers: [container('init', { ...HARDENED, runAsUser: 65532 })], containers: [inherits] })).toEqual([]);
  });

  it('names what the pod and each container break', () => {
    const spec = {
      hostNetwork: true, hostPID: true, hostIPC: true,
      securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }],
      initContainers: [container('init', { ...HARDENED, privileged: true, seccompProfile: { type: 'Unconfined' } })],
      containers: [container('api', { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['NET_RAW'], add: ['NET_ADMIN', 'NET_BIND_SERVICE', 'SYS_TIME'] } }, { ports: [{ containerPort: 80, hostPort: 80 }] })],
    };
    expect(restrictedProblems(spec)).toEqual([
      'pod sets hostNetwork', 'pod sets hostPID', 'pod sets hostIPC',
      'volume docker is of type hostPath',
      'init is privileged', 'init runs as uid 0', 'init has no RuntimeDefault seccomp profile',
      'api runs as uid 0', 'api does not drop ALL capabilities', 'api adds capabilities NET_ADMIN, SYS_TIME', 'api uses hostPort 80',
    ]);
    expect(restrictedProblems({ containers: [{ name: 'bare' }] })).toEqual([
      'bare does not set allowPrivilegeEscalation: false', 'bare does not set runAsNonRoot', 'bare has no RuntimeDefault seccomp profile', 'bare does not drop ALL capabilities',
    ]);
  });
});

describe('resources', () => {
  it('names each missing request and limit of each container', () => {
    const full = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } };
    expect(resourceProblems({ containers: [{ name: 'ok', resources: full }] })).toEqual([]);
    expect(resourceProblems({
      containers: [{ name: 'cpu', resources: { ...full, requests: { memory: '64Mi' } } }, { name: 'memory', resources: { ...full, requests: { cpu: '50m' } } }, { name: 'limit', resources: { requests: full.requests } }, { name: 'none' }],
    })).toEqual(['cpu has no requests.cpu', 'memory has no requests.memory', 'limit has no limits.memory', 'none has no requests.cpu, requests.memory, limits.memory']);
  });
});

describe('probes', () => {
  const probes = POD_SECURITY_RULES.find((r) => r.id === 'probes')!;
  const workload = (kind: string, containers?: Doc[]) => ({ kind, metadata: { name: kind.toLowerCase() }, spec: { template: { spec: containers ? { containers } : {} } } });
  const says = (docs: Doc[]) => probes.check({ env: testEnv(), namespace: 'demo-test', objects: docs.map((doc) => ({ env: 'test', platform: 'demo', constructPath: 'demo/x', doc })) }).map((v) => `${v.object.doc.kind}: ${v.message}`);

  it('wants readiness and liveness of every container of a long-running workload, and nothing of a Job', () => {
    const probe = { httpGet: { path: '/healthz', port: 8080 } };
    expect(says([workload('Deployment', [{ name: 'api', readinessProbe: probe, livenessProbe: probe }]), workload('Job', [{ name: 'once' }]), workload('StatefulSet')])).toEqual([]);
    expect(says([workload('Deployment', [{ name: 'api', livenessProbe: probe }, { name: 'side', readinessProbe: probe }])])).toEqual(['Deployment: api has no readinessProbe', 'Deployment: side has no livenessProbe']);
  });
});
