/**
 * The unknown-field check (src/synth/fields.ts) from scratch: which kinds it knows, the field
 * trees it builds, what it leaves to the schema check, and how close a misspelling must be to get
 * a suggestion. The module keeps its tables (kinds, classes, field trees) once built; each case
 * here loads its own copy of the module, so it builds them itself instead of reading what
 * another test file built first.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { describe, expect, it } from 'vitest';

type Fields = typeof import('../src/synth/fields');
let copies = 0;
/** A copy of the module with empty tables. */
const fresh = (): Promise<Fields> => import(/* @vite-ignore */ `../src/synth/fields?copy=${++copies}`);

const chart = () => new Chart(new App(), 'c');
/** A typed Service as a chart builds one. */
const service = () =>
  new k8s.KubeService(chart(), 's', { metadata: { name: 's' }, spec: { selector: { app: 's' }, ports: [{ port: 80, targetPort: k8s.IntOrString.fromNumber(8080) }] } });
const DROPPED = 'is not a property of KubeService and would be dropped from the output without a word';

describe('the kinds the check knows', () => {
  it.each([
    ['v1', 'Service', 'spec', 'clusterIP'],
    ['apps/v1', 'Deployment', 'spec', 'replicas'],
    ['batch/v1', 'CronJob', 'spec', 'jobTemplate'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler', 'spec', 'targetCPUUtilizationPercentage'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'spec', 'metrics'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'spec', 'podSelector'],
  ])('knows %s %s, field by field', async (apiVersion, kind, parent, field) => {
    const shape = (await fresh()).shapeOf(apiVersion, kind) as Record<string, Record<string, unknown>> | null;
    expect(shape?.[parent]).toHaveProperty(field);
    expect(shape).toHaveProperty('metadata.name', 'leaf');
  });

  it('tells the versions of a kind apart', async () => {
    const { shapeOf } = await fresh();
    expect(shapeOf('autoscaling/v1', 'HorizontalPodAutoscaler')).not.toHaveProperty('spec.metrics');
    expect(shapeOf('autoscaling/v2', 'HorizontalPodAutoscaler')).not.toHaveProperty('spec.targetCPUUtilizationPercentage');
  });

  it.each([
    ['v1', 'ConfigMapList'],
    ['apps/v1', 'DeploymentList'],
    ['example.com/v1', 'Widget'],
  ])('does not know %s %s (a list or a custom resource)', async (apiVersion, kind) => {
    expect((await fresh()).shapeOf(apiVersion, kind)).toBeNull();
  });
});

describe('the field tree of a kind', () => {
  it('holds a leaf for a value, a map for free-form keys, a one-element array for a list', async () => {
    const { shapeOf } = await fresh();
    const service = shapeOf('v1', 'Service') as Record<string, any>;
    expect(service.spec.clusterIP).toBe('leaf');
    expect(service.spec.selector).toBe('map');
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'leaf', port: 'leaf' })]);
    expect(service.spec.ipFamilies).toEqual(['leaf']);
    // A field the conversion copies whole (any JSON) is a leaf, not a tree.
    expect((shapeOf('apps/v1', 'ControllerRevision') as Record<string, unknown>).data).toBe('leaf');
  });
});

describe('raw objects: what the check leaves to the schema check', () => {
  const revision = (data: unknown) => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data });

  it.each([
    ['an object', { any: { nested: [1] } }],
    ['an array', [{ any: 1 }]],
  ])('accepts %s in a field that holds any JSON', async (_, data) => {
    expect((await fresh()).unknownFields(revision(data))).toEqual([]);
  });

  it('leaves an object where a list belongs to the schema check, and still names the typos beside it', async () => {
    const doc = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replica: 1, template: { spec: { containers: { name: 'c' } } } } };
    expect((await fresh()).unknownFields(doc)).toEqual(['spec.replica is not a field of Deployment in Kubernetes 1.27; did you mean "replicas"?']);
  });
});

describe('typed objects', () => {
  it('name what the conversion would drop, in nested objects and in the elements of lists', async () => {
    const s = service();
    s.addJsonPatch(JsonPatch.add('/spec/clusterIP', 'None'), JsonPatch.add('/spec/ports/0/nme', 'http'));
    expect((await fresh()).renderChecked(s)).toEqual({
      doc: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 's' }, ports: [{ port: 80, targetPort: 8080 }] } },
      problems: [`spec.ports[0].nme ${DROPPED}; did you mean "name"?`, `spec.clusterIP ${DROPPED}; did you mean "clusterIp"?`],
    });
  });

  it('accept a null where the conversion reads a value, which it leaves out', async () => {
    const s = service();
    s.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', null));
    const { doc, problems } = (await fresh()).renderChecked(s);
    expect(problems).toEqual([]);
    expect(doc.spec.ports).toEqual([{ port: 80 }]);
  });

  it('leave an empty element of a list to the conversion, which leaves it empty', async () => {
    const s = new k8s.KubeService(chart(), 's', { metadata: { name: 's' }, spec: { ports: [undefined as never, { port: 80 }] } });
    expect((await fresh()).renderChecked(s)).toEqual({ doc: s.toJson(), problems: [] });
  });

  it.each([
    ['an object', { any: { nested: [1] } }],
    ['an array', [{ any: 1 }]],
  ])('accept %s in a field that holds any JSON', async (_, data) => {
    const r = new k8s.KubeControllerRevision(chart(), 'r', { metadata: { name: 'r' }, revision: 1, data });
    expect((await fresh()).renderChecked(r)).toEqual({ doc: r.toJson(), problems: [] });
  });

  it('fall back to the kind check for a typed object whose tree has no end (a CustomResourceDefinition)', async () => {
    const spec = { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] };
    const crd = new k8s.KubeCustomResourceDefinition(chart(), 'crd', { metadata: { name: 'widgets.example.com' }, spec });
    expect((await fresh()).renderChecked(crd)).toEqual({ doc: crd.toJson(), problems: [] });
  });

  it('check a raw object of a known kind by its fields', async () => {
    const cm = new ApiObject(chart(), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, dta: { a: 'b' } } as never);
    expect((await fresh()).renderChecked(cm)).toEqual({ doc: cm.toJson(), problems: ['dta is not a field of ConfigMap in Kubernetes 1.27; did you mean "data"?'] });
  });
});

describe('the suggested spelling', () => {
  it.each([
    // Up to a third of the field's length may differ, and at least two letters in a short one.
    ['pusd', 'paused'],
    ['revisionHistLimit', 'revisionHistoryLimit'],
    ['progressDeadlineSecs', 'progressDeadlineSeconds'],
  ])('suggests a spelling for %s', async (key, near) => {
    const [line] = (await fresh()).unknownFields({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { [key]: 1 } });
    expect(line).toBe(`spec.${key} is not a field of Deployment in Kubernetes 1.27; did you mean "${near}"?`);
  });
});
