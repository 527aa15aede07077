// What a platform claims from its namespace, computed from hand-made documents whose figures
// are easy to add up; test/platforms.test.ts checks the real platforms against their budgets.
import { describe, expect, it } from 'vitest';
import { budgetProblems, capacityOf, capacityTable } from '../src/capacity/capacity';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const container = (name: string, requests: Record<string, string>, limits: Record<string, string> = {}) => ({ name, resources: { requests, limits } });
const pod = (containers: object[], initContainers?: object[]) => ({ spec: { containers, ...(initContainers ? { initContainers } : {}) } });
const deployment = (name: string, spec: object, template = pod([container('app', { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '256Mi' })])) => ({
  kind: 'Deployment',
  metadata: { name },
  spec: { ...spec, template },
});

describe('capacityOf', () => {
  it('counts a pod as the larger of its containers together and its biggest init container, per resource', () => {
    const template = pod(
      [container('app', { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '256Mi' }), container('sidecar', { cpu: '50m', memory: '32Mi' }, { memory: '64Mi' })],
      [container('restore', { cpu: '500m', memory: '64Mi' }, { memory: '512Mi' }), container('wait', { cpu: '10m', memory: '16Mi' }, { memory: '16Mi' })],
    );
    const { contributors } = capacityOf([deployment('api', { replicas: 1 }, template)]);
    expect(contributors[0].perPod).toEqual({ cpuRequests: 500, cpuLimits: 200, memoryRequests: 160 * Mi, memoryLimits: 512 * Mi, pods: 1 });
  });

  it('takes the memory request as the limit of a container without one', () => {
    const c = capacityOf([deployment('api', { replicas: 1 }, pod([container('app', { cpu: '100m', memory: '300Mi' })]))]);
    expect(c.normal.memoryLimits).toBe(300 * Mi);
    expect(c.normal.cpuLimits).toBe(0);
  });

  it('counts replicas normally, and one surge pod more in the worst case of a rolling update', () => {
    const c = capacityOf([deployment('api', { replicas: 2 })]);
    expect(c.contributors[0]).toMatchObject({ object: 'Deployment/api', normalPods: 2, worstPods: 3, storage: 0 });
    expect(c.normal).toEqual({ cpuRequests: 200, cpuLimits: 400, memoryRequests: 256 * Mi, memoryLimits: 512 * Mi, pods: 2 });
    expect(c.worst).toEqual({ cpuRequests: 300, cpuLimits: 600, memoryRequests: 384 * Mi, memoryLimits: 768 * Mi, pods: 3 });
  });

  it('counts the surge a rolling update names, one for a percentage, none for Recreate, and one replica without replicas', () => {
    const worst = (spec: object) => capacityOf([deployment('api', spec)]).contributors[0].worstPods;
    expect(worst({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } } })).toBe(4);
    expect(worst({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } })).toBe(3);
    expect(worst({ replicas: 1, strategy: { type: 'Recreate' } })).toBe(1);
    expect(capacityOf([deployment('api', {})]).contributors[0]).toMatchObject({ normalPods: 1, worstPods: 2 });
  });

  it('counts an autoscaled Deployment at its minimum normally and at its maximum plus surge in the worst case', () => {
    const hpa = (name: string, min: number | undefined, max: number) => ({ kind: 'HorizontalPodAutoscaler', metadata: { name }, spec: { scaleTargetRef: { kind: 'Deployment', name }, minReplicas: min, maxReplicas: max } });
    const c = capacityOf([deployment('api', {}), hpa('api', 2, 5), deployment('worker', { replicas: 3 }), hpa('worker', undefined, 4)]);
    expect(c.contributors.map((x) => [x.object, x.normalPods, x.worstPods])).toEqual([
      ['Deployment/api', 2, 6],
      ['Deployment/worker', 1, 5],
    ]);
    expect(c.normal.pods).toBe(3);
    expect(c.worst.pods).toBe(11);
  });

  it('counts a StatefulSet at its replicas in both cases, and its claim templates once per replica as storage', () => {
    const sts = { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, template: pod([container('db', { cpu: '1', memory: '1Gi' })]), volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '10Gi' } } } }, { spec: { resources: { requests: { storage: '1Gi' } } } }] } };
    const c = capacityOf([sts, { kind: 'StatefulSet', metadata: { name: 'one' }, spec: { template: pod([container('x', { cpu: '1', memory: '1Gi' })]) } }]);
    expect(c.contributors[0]).toMatchObject({ object: 'StatefulSet/db', normalPods: 2, worstPods: 2, storage: 22 * Gi });
    expect(c.contributors[1]).toMatchObject({ normalPods: 1, worstPods: 1, storage: 0 });
    expect(c.storage).toBe(22 * Gi);
    expect(c.normal.cpuRequests).toBe(3000);
  });

  it('counts Jobs and CronJobs only in the worst case, one run each at their parallelism, and PVCs as storage', () => {
    const job = { kind: 'Job', metadata: { name: 'migrate' }, spec: { parallelism: 3, template: pod([container('m', { cpu: '100m', memory: '64Mi' })]) } };
    const cron = { kind: 'CronJob', metadata: { name: 'backup' }, spec: { jobTemplate: { spec: { template: pod([container('b', { cpu: '200m', memory: '64Mi' })]) } } } };
    const parallelCron = { kind: 'CronJob', metadata: { name: 'sweep' }, spec: { jobTemplate: { spec: { parallelism: 2, template: pod([container('s', { cpu: '10m', memory: '1Mi' })]) } } } };
    const pvc = { kind: 'PersistentVolumeClaim', metadata: { name: 'backups' }, spec: { resources: { requests: { storage: '5Gi' } } } };
    const c = capacityOf([job, cron, parallelCron, pvc, { kind: 'ConfigMap', metadata: { name: 'x' } }]);
    expect(c.contributors.map((x) => [x.object, x.normalPods, x.worstPods, x.storage])).toEqual([
      ['Job/migrate', 0, 3, 0],
      ['CronJob/backup', 0, 1, 0],
      ['CronJob/sweep', 0, 2, 0],
      ['PersistentVolumeClaim/backups', 0, 0, 5 * Gi],
    ]);
    expect(c.normal).toEqual({ cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0, pods: 0 });
    expect(c.worst).toMatchObject({ cpuRequests: 520, pods: 6 });
    expect(c.storage).toBe(5 * Gi);
  });
});

describe('budgetProblems', () => {
  const budget = { cpu: '1', memory: '1Gi', storage: '10Gi', pods: 4 };
  const claim = (cpu: string, memory: string, replicas: number) => deployment('api', { replicas, strategy: { type: 'Recreate' } }, pod([container('app', { cpu, memory }, { memory })]));
  const pvc = (size: string) => ({ kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } });

  it('accepts a worst case that reaches the budget exactly', () => {
    expect(budgetProblems(capacityOf([claim('250m', '256Mi', 4), pvc('10Gi')]), budget)).toEqual([]);
  });

  it('names every figure over the budget, with the worst case and the budget', () => {
    expect(budgetProblems(capacityOf([claim('300m', '300Mi', 5), pvc('11Gi')]), budget)).toEqual([
      'CPU requests reach 1.5 in the worst case; the budget is 1',
      'memory limits reach 1.46Gi in the worst case; the budget is 1Gi',
      'storage requests reach 11Gi; the budget is 10Gi',
      'pods reach 5 in the worst case; the budget is 4',
    ]);
  });
});

describe('capacityTable', () => {
  const docs = [
    deployment('small', { replicas: 1, strategy: { type: 'Recreate' } }, pod([container('a', { cpu: '100m', memory: '64Mi' }, { memory: '64Mi' })])),
    deployment('big', { replicas: 2, strategy: { type: 'Recreate' } }, pod([container('a', { cpu: '1500m', memory: '1Gi' }, { memory: '1Gi' })])),
    { kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: '512Mi' } } } },
  ];

  it('shows normal and worst case against the budget, and the contributors heaviest first', () => {
    expect(capacityTable(capacityOf(docs), { cpu: '4', memory: '4Gi', storage: '1Gi', pods: 10 })).toBe(
      [
        '| | CPU requests | CPU limits | memory requests | memory limits | pods | storage |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| normal | 3.1 | 0 | 2.06Gi | 2.06Gi | 3 | 512Mi |',
        '| worst case | 3.1 | 0 | 2.06Gi | 2.06Gi | 3 | 512Mi |',
        '| budget (ResourceQuota) | 4 | | | 4Gi | 10 | 1Gi |',
        '',
        '| object | pods normal / worst | per pod CPU / memory limit | worst CPU / memory limit | storage |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| Deployment/big | 2 / 2 | 1.5 / 1Gi | 3 / 2Gi |  |',
        '| PersistentVolumeClaim/data | 0 / 0 | 0 / 0 | 0 / 0 | 512Mi |',
        '| Deployment/small | 1 / 1 | 100m / 64Mi | 100m / 64Mi |  |',
      ].join('\n'),
    );
  });

  it('leaves out the budget row without a budget, and keeps the top contributors only when asked', () => {
    expect(capacityTable(capacityOf(docs), undefined, 1).split('\n')).toEqual([
      '| | CPU requests | CPU limits | memory requests | memory limits | pods | storage |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| normal | 3.1 | 0 | 2.06Gi | 2.06Gi | 3 | 512Mi |',
      '| worst case | 3.1 | 0 | 2.06Gi | 2.06Gi | 3 | 512Mi |',
      '',
      '| object | pods normal / worst | per pod CPU / memory limit | worst CPU / memory limit | storage |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| Deployment/big | 2 / 2 | 1.5 / 1Gi | 3 / 2Gi |  |',
    ]);
  });

  it('weighs a contributor by its worst-case memory limit plus its storage, and orders equal weights by name', () => {
    const fixed = (name: string, replicas: number, memory: string) =>
      deployment(name, { replicas, strategy: { type: 'Recreate' } }, pod([container('x', { cpu: '1', memory }, { memory })]));
    const volume = (name: string, size: string) => ({ kind: 'PersistentVolumeClaim', metadata: { name }, spec: { resources: { requests: { storage: size } } } });
    const db = (replicas: number, size: string) => ({
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { replicas, template: pod([container('db', { cpu: '1', memory: '1Gi' }, { memory: '1Gi' })]), volumeClaimTemplates: [{ spec: { resources: { requests: { storage: size } } } }] },
    });
    // the same order whatever order the documents come in
    const order = (list: object[]) => {
      const names = (l: object[]) => capacityTable(capacityOf(l), undefined).split('\n').slice(7).map((line) => line.split(' | ')[0].slice(2));
      expect(names([...list].reverse())).toEqual(names(list));
      return names(list);
    };
    // two pods of 1Gi (2Gi) weigh more than one of 1.5Gi; 3Gi of storage more than both
    expect(order([fixed('one', 1, '1536Mi'), fixed('two', 2, '1Gi'), volume('data', '3Gi')])).toEqual(['PersistentVolumeClaim/data', 'Deployment/two', 'Deployment/one']);
    // a database's memory and storage add up: 1Gi + 4Gi outweighs 3 × 1.5Gi; 2 × 1Gi outweighs 1.5Gi
    expect(order([fixed('web', 3, '1536Mi'), db(1, '4Gi')])).toEqual(['StatefulSet/db', 'Deployment/web']);
    expect(order([fixed('web', 1, '1536Mi'), db(2, '1Mi')])).toEqual(['StatefulSet/db', 'Deployment/web']);
    expect(order([fixed('c', 1, '1Gi'), fixed('a', 1, '1Gi'), volume('b', '1Gi'), fixed('d', 1, '1Gi')])).toEqual(['Deployment/a', 'Deployment/c', 'Deployment/d', 'PersistentVolumeClaim/b']);
  });
});
