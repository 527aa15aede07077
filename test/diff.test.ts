import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { diffFiles, formatDiff } from '../app/diff';

/** The diff of one YAML file before and after, as `npm run diff` prints it. */
const diffOf = (before: object, after: object, file = 'prod/a/x.yaml') => formatDiff(diffFiles(new Map([[file, dump(before)]]), new Map([[file, dump(after)]])));
const deployment = (env: object[], containers: object[] = []) => ({
  kind: 'Deployment',
  spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1', env, ports: [{ name: 'http', containerPort: 8080 }] }, ...containers] } } },
});
const env = (...names: string[]) => names.map((name) => ({ name, value: name.toLowerCase() }));
const ingress = (...paths: string[]) => ({ spec: { rules: [{ host: 'a.example', http: { paths: paths.map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: 'api' } } })) } }] } });

describe('npm run diff', () => {
  it('names added, removed and changed files, and the fields that changed', () => {
    const before = new Map([
      ['prod/a/x-deployment.yaml', 'spec:\n  replicas: 2\n  template:\n    image: a:1\n'],
      ['prod/a/old-job.yaml', 'kind: Job\n'],
    ]);
    const after = new Map([
      ['prod/a/x-deployment.yaml', 'spec:\n  replicas: 3\n  template:\n    image: a:2\n'],
      ['prod/a/new-job.yaml', 'kind: Job\n'],
    ]);
    const changes = diffFiles(before, after);
    expect(changes).toEqual([
      { path: 'prod/a/new-job.yaml', change: 'added', fields: [] },
      { path: 'prod/a/old-job.yaml', change: 'removed', fields: [] },
      { path: 'prod/a/x-deployment.yaml', change: 'changed', fields: ['spec.replicas', 'spec.template.image'] },
    ]);
    expect(formatDiff(changes)).toBe('prod/a/\n  + new-job.yaml\n  - old-job.yaml\n  ~ x-deployment.yaml\n      spec.replicas\n      spec.template.image\n1 added, 1 removed, 1 changed\n');
    expect(formatDiff([])).toMatch(/^no changes/);
  });

  it('reports a resource added to or removed from the middle of a kustomization as one line', () => {
    const resources = ['api-deployment.yaml', 'api-service.yaml', 'db-statefulset.yaml', 'namespace.yaml'];
    const file = 'prod/a/kustomization.yaml';
    expect(diffOf({ resources }, { resources: [...resources.slice(0, 2), 'alerts-service.yaml', ...resources.slice(2)] }, file)).toBe(
      'prod/a/\n  ~ kustomization.yaml\n      resources: + alerts-service.yaml\n0 added, 0 removed, 1 changed\n',
    );
    expect(diffOf({ resources }, { resources: resources.filter((r) => r !== 'api-service.yaml') }, file)).toBe(
      'prod/a/\n  ~ kustomization.yaml\n      resources: - api-service.yaml\n0 added, 0 removed, 1 changed\n',
    );
  });

  it('matches env vars and containers by name: an added, removed or changed variable in the middle is one line', () => {
    const fields = (before: object, after: object) => diffFiles(new Map([['x.yaml', dump(before)]]), new Map([['x.yaml', dump(after)]]))[0]?.fields;
    const env0 = 'spec.template.spec.containers[name=api].env';
    expect(fields(deployment(env('A', 'B', 'C', 'D')), deployment(env('A', 'B', 'NEW', 'C', 'D')))).toEqual([`${env0}[name=NEW]: added`]);
    expect(fields(deployment(env('A', 'B', 'C', 'D')), deployment(env('A', 'C', 'D')))).toEqual([`${env0}[name=B]: removed`]);
    const changed = env('A', 'B', 'C', 'D');
    changed[1] = { name: 'B', value: 'other' };
    expect(fields(deployment(env('A', 'B', 'C', 'D')), deployment(changed))).toEqual([`${env0}[name=B].value`]);
    // a sidecar before the app container: the app container is still matched by its name
    expect(fields(deployment(env('A')), { ...deployment(env('A')), spec: { template: { spec: { containers: [{ name: 'proxy', image: 'p:1' }, ...deployment(env('A', 'B')).spec.template.spec.containers] } } } })).toEqual([
      'spec.template.spec.containers[name=proxy]: added',
      `${env0}[name=B]: added`,
    ]);
  });

  it('matches Ingress rules by host and paths by path: an added path is one line', () => {
    expect(diffOf(ingress('/', '/api', '/ws'), ingress('/', '/alerts', '/api', '/ws'))).toBe(
      'prod/a/\n  ~ x.yaml\n      spec.rules[host=a.example].http.paths[path=/alerts]: added\n0 added, 0 removed, 1 changed\n',
    );
    expect(diffOf(ingress('/', '/api', '/ws'), ingress('/', '/ws'))).toBe('prod/a/\n  ~ x.yaml\n      spec.rules[host=a.example].http.paths[path=/api]: removed\n0 added, 0 removed, 1 changed\n');
  });

  it('matches ports by name or port, says when a list only changed order, and falls back to the position for items without identity', () => {
    const fields = (before: object, after: object) => diffFiles(new Map([['x.yaml', dump(before)]]), new Map([['x.yaml', dump(after)]]))[0]?.fields;
    const ports = (...p: number[]) => ({ spec: { ports: p.map((port) => ({ port, protocol: 'TCP' })) } });
    expect(fields(ports(80, 443, 9090), ports(80, 8443, 9090))).toEqual(['spec.ports[port=443]: removed', 'spec.ports[port=8443]: added']);
    expect(fields({ args: ['--a', '--b', '--c'] }, { args: ['--c', '--a', '--b'] })).toEqual(['args: moved --c']);
    const from = (app: string) => ({ ingress: [{ from: [{ podSelector: { matchLabels: { app } } }] }, { ports: [{ port: 80 }] }] });
    expect(fields(from('a'), from('b'))).toEqual(['ingress[0].from[0].podSelector.matchLabels.app']);
    expect(fields({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toEqual(['a.c: added']);
    expect(fields({ a: { b: 1, c: 2 } }, { a: { b: 1 } })).toEqual(['a.c: removed']);
    expect(fields({ a: 1 }, [1])).toEqual(['(document)']);
  });
});
