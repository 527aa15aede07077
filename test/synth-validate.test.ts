import { describe, expect, it } from 'vitest';
import { overlayProblems } from '../src/synth/inputs';
import { schemaProblems } from '../src/synth/validate';

// Schema validation of single rendered documents, and the shape check of an overlay, called
// directly on small literal inputs (the render tests cover them on the real platforms).

const meta = { name: 'x', namespace: 'demo' };
const NO_SCHEMA = 'the library renders only kinds it can validate';

describe('schemaProblems', () => {
  const APP = { metadata: {}, spec: { project: 'p', destination: {}, source: { repoURL: 'r' } } };
  // Kinds the library does not render itself are found by name in the package of their API group.
  it.each([
    ['a core kind', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'busybox' }] } }, { spec: { containers: 'none' } }, 'spec.containers must be array {"type":"array"}'],
    ['a Prometheus Operator kind', { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', spec: { groups: [] } }, { spec: { groups: 'none' } }, 'spec.groups must be array {"type":"array"}'],
    ['an Argo CD kind', { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', spec: { generators: [], template: APP } }, { spec: { generators: 'none', template: APP } }, 'spec.generators must be array {"type":"array"}'],
    ['an External Secrets kind', { apiVersion: 'external-secrets.io/v1beta1', kind: 'SecretStore', spec: { provider: { fake: { data: [] } } } }, { spec: { provider: 'none' } }, 'spec.provider must be object {"type":"object"}'],
  ])('validates %s outside the rendered kinds against its own schema', (_, good, bad, problem) => {
    const doc = { ...good, metadata: meta };
    expect(schemaProblems(doc)).toEqual([]);
    expect(schemaProblems({ ...doc, ...bad })).toEqual([problem]);
  });

  it('names the field by its dotted path, and the document itself when a top-level field is missing', () => {
    const spec = { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } } } };
    expect(schemaProblems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { ...spec, replicas: 'two' } })).toEqual([
      'spec.replicas must be integer {"type":"integer"}',
    ]);
    // Every level of a nested field, not only the first, is joined by a dot.
    expect(schemaProblems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { ...spec, template: { ...spec.template, spec: { containers: 'none' } } } })).toEqual([
      'spec.template.spec.containers must be array {"type":"array"}',
    ]);
    expect(schemaProblems({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: meta })).toEqual([
      '(document) must have required property spec {"missingProperty":"spec"}',
    ]);
  });

  it.each([
    ['an API group no package holds', 'example.com/v1', 'Widget'],
    ['a kind its group does not have', 'apps/v1', 'Widget'],
    // `apps/v1/` + `/Deployment` would resolve to the Deployment model: a malformed apiVersion
    // that kubectl refuses must not pass as a Deployment.
    ['an apiVersion with a trailing slash', 'apps/v1/', 'Deployment'],
    // A parent step is no API group, whatever the packages' module resolution would make of it.
    ['an apiVersion with a parent step', 'v1/../apps/v1', 'Deployment'],
    ['a kind that is not a Kubernetes kind name', 'apps/v1', 'deployment'],
  ])('refuses a document of %s: it has no schema', (_, apiVersion, kind) => {
    const doc = { apiVersion, kind, metadata: meta, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } } } } };
    expect(schemaProblems(doc)).toEqual([`no schema for ${apiVersion} ${kind}; ${NO_SCHEMA}`]);
  });

  it.each([
    ['no apiVersion', { kind: 'ConfigMap' }, ['apiVersion']],
    ['an empty kind', { apiVersion: 'v1', kind: '' }, ['kind']],
    ['a kind that is no string', { apiVersion: 'v1', kind: 7 }, ['kind']],
    ['neither', {}, ['apiVersion', 'kind']],
  ])('names what is missing of a document with %s, instead of looking up a schema for "undefined"', (_, head, fields) => {
    expect(schemaProblems({ ...head, metadata: meta })).toEqual(fields.map((f) => `${f} is missing; every document needs an apiVersion and a kind`));
  });

  it('reports a document its schema cannot even read as a problem instead of throwing', () => {
    const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta };
    Object.defineProperty(doc, 'data', { enumerable: true, get: () => { throw new Error('data is not readable'); } });
    expect(schemaProblems(doc)).toEqual(['data is not readable']);
  });
});

describe('overlayProblems', () => {
  const EXPECTED = "expected an object with env and each platform's settings";

  it.each([
    ['null', null, 'null'],
    ['a list', [{ env: {} }], '[{"env":{}}]'],
    ['a string', 'prod', '"prod"'],
    ['a number', 3, '3'],
    ['missing', undefined, 'nothing'],
  ])('fails when the overlay of an env is %s, and builds nothing of that env', (_, overlay, shown) => {
    const found = overlayProblems(overlay === undefined ? {} : { qa: overlay }, [], ['qa']);
    expect(found.lines).toEqual([`qa: the overlay is ${shown}; ${EXPECTED}`]);
    expect([...found.failed]).toEqual(['qa']);
  });
});
