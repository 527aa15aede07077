/**
 * Unknown fields (src/synth/fields.ts): a raw object of a Kubernetes 1.27 kind may hold only
 * that kind's fields, and a typed `Kube*` object only properties its conversion writes; both are
 * named with the nearest known spelling. The field lists come from cdk8s-plus-27's generated code.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { describe, expect, it } from 'vitest';
import { PlatformChart, WebService, Worker } from '../src';
import { renderChecked, shapeOf, unknownFields } from '../src/synth/fields';
import { problemsOf, renderedPlatforms, SMALL } from './helpers';

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const web = (chart: PlatformChart) => new WebService(chart, 'api', { image: IMAGE, profile: { replicas: 2, resources: SMALL }, port: 8080, healthPath: '/healthz' });
const objectOf = (c: { node: { tryFindChild(id: string): unknown } }) => c.node.tryFindChild('Resource') as ApiObject;
/** Adds a raw object to the chart, as an escape hatch would. */
const raw = (chart: PlatformChart, id: string, doc: Record<string, any>) =>
  new ApiObject(chart, id, { apiVersion: doc.apiVersion, kind: doc.kind, metadata: { namespace: chart.namespace, ...doc.metadata }, ...doc.body });

describe('unknown fields', () => {
  it('fail in a raw object of a known kind, with the path of the field and the name it probably meant', () => {
    const problems = problemsOf((c) =>
      raw(c, 'raw', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'raw' },
        body: { spec: { replica: 3, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: IMAGE, imagePullPolcy: 'Always' }] } } } },
      }),
    );
    expect(problems).toContain('test/demo/raw: Deployment/raw: spec.replica is not a field of Deployment in Kubernetes 1.27; did you mean "replicas"?');
    expect(problems).toContain(
      'test/demo/raw: Deployment/raw: spec.template.spec.containers[0].imagePullPolcy is not a field of Deployment in Kubernetes 1.27; did you mean "imagePullPolicy"?',
    );
  });

  it('fail when a typed object is given a property its conversion would drop without a word', () => {
    // JSON spelling in a patch of a typed object: cdk8s-plus-27 reads `clusterIp` and would drop `clusterIP`.
    const problems = problemsOf((c) => (web(c).node.tryFindChild('service') as ApiObject).addJsonPatch(JsonPatch.add('/spec/clusterIP', 'None')));
    expect(problems).toEqual([
      'test/demo/api/service: Service/api: spec.clusterIP is not a property of KubeService and would be dropped from the output without a word; did you mean "clusterIp"?',
    ]);
  });

  it('check typed objects whatever their classes are called, as in the synth bundle', () => {
    // esbuild renames `class KubeService` to `_KubeService`; the check must not depend on that name.
    const name = Object.getOwnPropertyDescriptor(k8s.KubeService, 'name')!;
    Object.defineProperty(k8s.KubeService, 'name', { value: '_KubeService', configurable: true });
    try {
      const problems = problemsOf((c) => (web(c).node.tryFindChild('service') as ApiObject).addJsonPatch(JsonPatch.add('/spec/clusterIP', 'None')));
      expect(problems).toEqual([expect.stringContaining('spec.clusterIP is not a property of KubeService')]);
    } finally {
      Object.defineProperty(k8s.KubeService, 'name', name);
    }
  });

  it('fail when a typed object gets a bare value where it reads an IntOrString', () => {
    const problems = problemsOf((c) => (web(c).node.tryFindChild('service') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 'grpc')));
    expect(problems).toEqual([
      'test/demo/api/service: Service/api: spec.ports[0].targetPort is "grpc", which KubeService would drop; give an object (e.g. k8s.IntOrString.fromString, k8s.Quantity.fromString)',
    ]);
  });

  it('accept every field of every object the four platforms render', () => {
    expect(() => renderedPlatforms()).not.toThrow();
  });

  it('are found in arrays and nested specs, and not in free-form maps', () => {
    const problems = problemsOf((c) => {
      const o = objectOf(new Worker(c, 'worker', { image: IMAGE, profile: { resources: SMALL }, health: { exec: ['true'] } }));
      o.addJsonPatch(JsonPatch.add('/metadata/labels/any-label', 'fine'));
      o.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/0/emptyDir/sizeLimt', '1Gi'));
    });
    expect(problems).toEqual([
      'test/demo/worker/Resource: Deployment/worker: spec.template.spec.volumes[0].emptyDir.sizeLimt is not a property of KubeDeployment and would be dropped from the output without a word; did you mean "sizeLimit"?',
    ]);
  });
});

describe('the field tree of a kind', () => {
  it('holds nested objects, arrays of objects and free-form maps', () => {
    const service = shapeOf('v1', 'Service') as Record<string, any>;
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 'leaf', targetPort: 'leaf', protocol: 'leaf' })]);
    expect(service.spec.selector).toBe('map');
    expect(service.metadata.labels).toBe('map');
    expect(service.spec.clusterIP).toBe('leaf');
    expect(service.spec.clusterIp).toBeUndefined();
  });

  it('is null for a kind cdk8s-plus-27 does not know (a custom resource), and for list kinds', () => {
    expect(shapeOf('example.com/v1', 'Widget')).toBeNull();
    expect(shapeOf('v1', 'ConfigMapList')).toBeNull();
    expect(shapeOf('v1', 'Deployment')).toBeNull(); // the kind under another group
  });

  it('gives up on a kind whose tree has no end (a CustomResourceDefinition schema holds schemas), and leaves it to the schema check', () => {
    expect(shapeOf('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toBeNull();
    expect(shapeOf('apps/v1', 'StatefulSet')).not.toBeNull(); // the largest finite tree fits the budget
    const c = new Chart(new App(), 'c');
    const spec = { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openApiv3Schema: { type: 'object' } } }] };
    const typed = new k8s.KubeCustomResourceDefinition(c, 'crd', { metadata: { name: 'widgets.example.com' }, spec: spec as never });
    expect(renderChecked(typed)).toEqual({ doc: typed.toJson(), problems: [] });
    expect(typed.toJson().spec.versions[0].schema).toEqual({ openAPIV3Schema: { type: 'object' } });
  });
});

describe('unknownFields', () => {
  const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { anything: 'goes' } }, spec });

  it('is empty for a document whose fields all belong to its kind, whatever its maps hold', () => {
    expect(unknownFields(deployment({ replicas: 1, selector: { matchLabels: { 'any-key': 'x' } }, template: { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: 'b' }] }] } } }))).toEqual([]);
  });

  it('names each unknown field by its path, in arrays too, with the nearest spelling when it is close', () => {
    expect(unknownFields(deployment({ replica: 1, template: { spec: { containers: [{ name: 'c' }, { name: 'd', imagePullPolcy: 'Always' }] } } }))).toEqual([
      'spec.replica is not a field of Deployment in Kubernetes 1.27; did you mean "replicas"?',
      'spec.template.spec.containers[1].imagePullPolcy is not a field of Deployment in Kubernetes 1.27; did you mean "imagePullPolicy"?',
    ]);
  });

  it('names an unknown top-level field, and a field that differs only in case', () => {
    expect(unknownFields({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dta: {}, Data: {} })).toEqual([
      'dta is not a field of ConfigMap in Kubernetes 1.27; did you mean "data"?',
      'Data is not a field of ConfigMap in Kubernetes 1.27; did you mean "data"?',
    ]);
  });

  it.each([
    // Up to a third of the field's length (at least 2) may differ: a typo, not another word.
    ['spec.replicasx', 'replicasx', 'replicas'],
    ['spec.rplcas', 'rplcas', 'replicas'],
    ['spec.strtgy', 'strtgy', 'strategy'],
    ['spec.strtg', 'strtg', undefined],
    ['spec.zzz', 'zzz', undefined],
    ['spec.pausd', 'pausd', 'paused'],
    ['spec.revisionHistoryLmt', 'revisionHistoryLmt', 'revisionHistoryLimit'],
  ])('suggests a spelling for %s only when it is close', (path, key, near) => {
    const [line] = unknownFields(deployment({ [key]: 1 }));
    expect(line).toBe(`${path} is not a field of Deployment in Kubernetes 1.27${near ? `; did you mean "${near}"?` : ''}`);
  });

  it('leaves documents of unknown kinds and non-object values alone', () => {
    expect(unknownFields({ apiVersion: 'example.com/v1', kind: 'Widget', spce: {} })).toEqual([]);
    expect(unknownFields(deployment({ template: null, selector: 'not an object' }))).toEqual([]);
  });
});

describe('renderChecked', () => {
  const chart = () => new Chart(new App(), 'c');
  const service = (c: Chart) =>
    new k8s.KubeService(c, 's', { metadata: { name: 's' }, spec: { clusterIp: 'None', selector: { app: 's' }, ports: [{ port: 80, targetPort: k8s.IntOrString.fromNumber(8080) }] } });

  it('renders a typed object in its JSON spelling, apiVersion and kind first', () => {
    const { doc, problems } = renderChecked(service(chart()));
    expect(problems).toEqual([]);
    expect(Object.keys(doc).slice(0, 2)).toEqual(['apiVersion', 'kind']);
    expect(doc).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: 'None', selector: { app: 's' }, ports: [{ port: 80, targetPort: 8080 }] } });
  });

  it('names properties a typed object would drop: in arrays and nested objects, not in its maps', () => {
    const s = service(chart());
    s.addJsonPatch(JsonPatch.add('/spec/selector/any-label', 'fine'), JsonPatch.add('/spec/ports/0/nme', 'http'), JsonPatch.add('/metadata/nam', 'x'));
    expect(renderChecked(s).problems).toEqual([
      'metadata.nam is not a property of KubeService and would be dropped from the output without a word; did you mean "name"?',
      'spec.ports[0].nme is not a property of KubeService and would be dropped from the output without a word; did you mean "name"?',
    ]);
  });

  it('names a far-off property without a suggestion', () => {
    const s = service(chart());
    s.addJsonPatch(JsonPatch.add('/spec/zzzzzzzz', 1));
    expect(renderChecked(s).problems).toEqual(['spec.zzzzzzzz is not a property of KubeService and would be dropped from the output without a word']);
  });

  it('checks a raw object of a known kind against the kind, and leaves one of an unknown kind alone', () => {
    const c = chart();
    const cm = new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, dta: { a: 'b' } } as never);
    expect(renderChecked(cm)).toEqual({ doc: cm.toJson(), problems: ['dta is not a field of ConfigMap in Kubernetes 1.27; did you mean "data"?'] });
    const widget = new ApiObject(c, 'w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spce: {} } as never);
    expect(renderChecked(widget).problems).toEqual([]);
  });
});
