/**
 * The env-wide checks (src/apiserver/env.ts: one host to one platform, each host and path routed
 * once, no Prefix twins that differ by a trailing slash) and the kind table of
 * src/apiserver/index.ts, on small literal documents.
 */
import { describe, expect, it } from 'vitest';
import { apiServerProblems, documentFindings, EnvObject } from '../src/apiserver';
import { envFindings } from '../src/apiserver/env';
import { ingressObject as ingress, IngressPath } from './helpers';

/** The findings as `construct: field: message`. */
const findings = (objects: readonly EnvObject[]) => envFindings(objects).map((f) => `${f.object.constructPath}: ${f.field}: ${f.message}`);

const SHADOWS = 'a host belongs to one platform of an env, or the ingress controller merges their paths and one shadows the other';
const ONE_BACKEND = 'each host and path goes to one backend';
const TWINS = 'only by a trailing slash; Prefix paths match by element, so both match the same requests and only one backend gets them';

describe('one host belongs to one platform', () => {
  it('counts rules without a host as one host, (any host)', () => {
    expect(findings([ingress('peripheral', 'web', [[undefined, [['/']]]]), ingress('tradebot', 'web', [[undefined, [['/bot']]]])])).toEqual([
      `tradebot/web/Resource: spec.rules[0].host: (any host) is also a host of platform peripheral's Ingress/web (spec.rules[0].http.paths[0]); ${SHADOWS}`,
    ]);
  });

  it('reports a rule once, however many paths it has, and each rule and Ingress that claims the host', () => {
    const owner = ingress('peripheral', 'web', [[undefined, [['/']]], ['app.example.com', [['/']]]]);
    const other = ingress('tradebot', 'web', [['app.example.com', [['/a'], ['/b'], ['/c']]], [undefined, [['/d'], ['/e']]]]);
    const again = ingress('tradebot', 'api', [['app.example.com', [['/f']]]]);
    expect(findings([owner, other, again])).toEqual([
      `tradebot/web/Resource: spec.rules[0].host: "app.example.com" is also a host of platform peripheral's Ingress/web (spec.rules[1].http.paths[0]); ${SHADOWS}`,
      `tradebot/web/Resource: spec.rules[1].host: (any host) is also a host of platform peripheral's Ingress/web (spec.rules[0].http.paths[0]); ${SHADOWS}`,
      `tradebot/api/Resource: spec.rules[0].host: "app.example.com" is also a host of platform peripheral's Ingress/web (spec.rules[1].http.paths[0]); ${SHADOWS}`,
    ]);
  });

  it('names the host field of a rule with many paths', () => {
    const paths: IngressPath[] = Array.from({ length: 12 }, (_, i) => [`/p${i}`]);
    expect(findings([ingress('peripheral', 'web', [['app.example.com', [['/']]]]), ingress('tradebot', 'web', [['app.example.com', paths]])])).toEqual([
      `tradebot/web/Resource: spec.rules[0].host: "app.example.com" is also a host of platform peripheral's Ingress/web (spec.rules[0].http.paths[0]); ${SHADOWS}`,
    ]);
  });

  it('looks only at Ingresses', () => {
    const notIngress = { ...ingress('tradebot', 'web', [['app.example.com', [['/']]]]), doc: { ...ingress('tradebot', 'web', [['app.example.com', [['/']]]]).doc, kind: 'HTTPRoute' } };
    expect(findings([ingress('peripheral', 'web', [['app.example.com', [['/']]]]), notIngress])).toEqual([]);
  });
});

describe('each host and path goes to one backend', () => {
  it('refuses a path routed twice on no host', () => {
    expect(findings([ingress('peripheral', 'web', [[undefined, [['/ws']]]]), ingress('peripheral', 'web-socket', [[undefined, [['/ws']]]])])).toEqual([
      `peripheral/web-socket/Resource: spec.rules[0].http.paths[0].path: Prefix path "/ws" of host (any host) is already routed by peripheral's Ingress/web (spec.rules[0].http.paths[0]); ${ONE_BACKEND}`,
    ]);
  });

  it('refuses an ImplementationSpecific rule without a path routed twice', () => {
    const bare = (name: string): EnvObject => {
      const o = ingress('peripheral', name, [['app.example.com', []]]);
      o.doc.spec.rules[0].http.paths = [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }];
      return o;
    };
    expect(findings([bare('web'), bare('web-2')])).toEqual([
      `peripheral/web-2/Resource: spec.rules[0].http.paths[0].path: ImplementationSpecific path "" of host "app.example.com" is already routed by peripheral's Ingress/web (spec.rules[0].http.paths[0]); ${ONE_BACKEND}`,
    ]);
  });

  it('tells Exact and Prefix apart, and Exact paths by their trailing slash', () => {
    expect(findings([ingress('peripheral', 'web', [['app.example.com', [['/api', 'Exact'], ['/api', 'Prefix'], ['/api/', 'Exact']]]])])).toEqual([]);
  });
});

describe('Prefix paths that differ only by a trailing slash', () => {
  it('names the first of the twins, once per later one', () => {
    const first = ingress('peripheral', 'web', [['app.example.com', [['/api']]]]);
    const second = ingress('peripheral', 'web-2', [['app.example.com', [['/api']]]]);
    const third = ingress('peripheral', 'web-3', [['app.example.com', [['/api/']]]]);
    expect(findings([first, second, third])).toEqual([
      `peripheral/web-2/Resource: spec.rules[0].http.paths[0].path: Prefix path "/api" of host "app.example.com" is already routed by peripheral's Ingress/web (spec.rules[0].http.paths[0]); ${ONE_BACKEND}`,
      `peripheral/web-3/Resource: spec.rules[0].http.paths[0].path: Prefix path "/api/" of host "app.example.com" differs from "/api" of peripheral's Ingress/web (spec.rules[0].http.paths[0]) ${TWINS}`,
    ]);
  });

  it('does not mistake the root path or other hosts for twins', () => {
    expect(findings([ingress('peripheral', 'web', [['app.example.com', [['/'], ['/api']]], ['api.example.com', [['/api/']]]])])).toEqual([]);
  });
});

describe('documents the schema check refuses are reported, not a crash', () => {
  it('an Ingress without a spec, a rule without http, null rules and paths', () => {
    const odd = (spec: unknown): EnvObject => ({ ...ingress('peripheral', 'odd', []), doc: { ...ingress('peripheral', 'odd', []).doc, spec } });
    expect(findings([odd(undefined), odd({ rules: [{ host: 'app.example.com' }] }), odd({ rules: [null] }), odd({ rules: [{ host: 'a.example.com', http: { paths: [null] } }] })])).toEqual([]);
  });

  it('an object without metadata', () => {
    const nameless = (o: EnvObject): EnvObject => ({ ...o, doc: { ...o.doc, metadata: undefined } });
    const problems = apiServerProblems([nameless(ingress('peripheral', 'web', [['app.example.com', [['/']]]])), nameless(ingress('tradebot', 'web', [['app.example.com', [['/']]]]))]);
    expect(problems.filter((p) => p.includes('metadata.name: required value: name or generateName is required'))).toHaveLength(2);
    expect(problems.filter((p) => p.includes('[env]'))).toHaveLength(1);
  });
});

describe('the kinds the API server checks', () => {
  it('judges a Secret name as a DNS subdomain', () => {
    expect(documentFindings({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'Db_Creds' } }).errors).toEqual([
      `metadata.name: invalid value "Db_Creds": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`,
    ]);
  });

  it('leaves kinds the library does not render to the schema check', () => {
    expect(documentFindings({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Not_A_Name' } })).toEqual({ errors: [], warnings: [] });
    expect(documentFindings({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'Not_A_Name' } })).toEqual({ errors: [], warnings: [] });
  });
});
