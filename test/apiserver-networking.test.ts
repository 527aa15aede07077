/**
 * Ingress and NetworkPolicy (src/apiserver/networking.ts), each validator called on small literal
 * documents: what kube-apiserver 1.27 refuses, with the exact field path and message, what it
 * accepts, and the accepted-but-wrong warnings.
 */
import { describe, expect, it } from 'vitest';
import { Errors, formatError } from '../src/apiserver/field';
import { validateIngress, validateNetworkPolicy } from '../src/apiserver/networking';

type Doc = Record<string, any>;

function ingressFindings(doc: Doc): { errors: string[]; warnings: string[] } {
  const errs = new Errors();
  const warnings: string[] = [];
  validateIngress(doc, errs, (field, message) => warnings.push(`${field}: ${message}`));
  return { errors: errs.list.map(formatError), warnings };
}

const backend = { service: { name: 'api', port: { number: 80 } } };
const path = (extra: Doc = {}) => ({ path: '/', pathType: 'Prefix', backend, ...extra });
/** An Ingress of one rule for app.example.com with the given paths. */
const rule = (...paths: Doc[]) => ({ spec: { ingressClassName: 'nginx', rules: [{ host: 'app.example.com', http: { paths } }] } });
const errorsOf = (doc: Doc) => ingressFindings(doc).errors;
const P = 'spec.rules[0].http.paths[0]';

describe('Ingress', () => {
  it.each([
    ['a default backend alone', { spec: { defaultBackend: backend } }],
    ['a resource backend', { spec: { defaultBackend: { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'assets' } } } }],
    ['a rule without host', { spec: { rules: [{ http: { paths: [path()] } }] } }],
    ['a rule without http', { spec: { rules: [{ host: 'app.example.com' }] } }],
    ['an ImplementationSpecific path that is empty', rule(path({ pathType: 'ImplementationSpecific', path: '' }))],
    ['an ImplementationSpecific path with a regex', rule(path({ pathType: 'ImplementationSpecific', path: '/api/(.*)' }))],
    ['an Exact path', rule(path({ pathType: 'Exact', path: '/healthz' }))],
    ['a backend port by name', rule(path({ backend: { service: { name: 'api', port: { name: 'http' } } } }))],
    ['a class field and metadata without annotations', { metadata: { name: 'web' }, spec: { ingressClassName: 'nginx', defaultBackend: backend } }],
    ['a class annotation without the class field', { metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: { defaultBackend: backend } }],
    ['TLS without a secret name', { spec: { defaultBackend: backend, tls: [{ hosts: ['app.example.com'] }] } }],
  ])('accepts %s', (_what, doc) => {
    expect(ingressFindings(doc)).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    ['no rules and no default backend', { spec: {} }, ['spec: invalid value "": either `defaultBackend` or `rules` must be specified']],
    ['a backend of both kinds', { spec: { defaultBackend: { ...backend, resource: { kind: 'Bucket', name: 'a' } } } }, ['spec.defaultBackend: invalid value "": cannot set both resource and service backends']],
    ['a backend of neither kind', { spec: { defaultBackend: {} } }, ['spec.defaultBackend: invalid value "": resource or service backend is required']],
    // validateIngressTypedLocalObjectReference: the group is a DNS subdomain, kind and name path segments.
    ['a resource backend without kind or name', { spec: { defaultBackend: { resource: {} } } }, ['spec.defaultBackend.resource.kind: required value: kind is required', 'spec.defaultBackend.resource.name: required value: name is required']],
    ['a resource backend with an empty group', { spec: { defaultBackend: { resource: { apiGroup: '', kind: 'Bucket', name: 'a' } } } }, ['spec.defaultBackend.resource.apiGroup: invalid value "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\')']],
    ['a resource backend whose kind and name are no path segments', rule(path({ backend: { resource: { kind: 'Bucket/v1', name: '..' } } })), [`${P}.backend.resource.kind: invalid value "Bucket/v1": may not contain '/'`, `${P}.backend.resource.name: invalid value "..": may not be '..'`]],
    ['a service backend without a name', { spec: { defaultBackend: { service: { port: { number: 80 } } } } }, ['spec.defaultBackend.service.name: required value']],
    ['a class field and the class annotation', { metadata: { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: { ingressClassName: 'nginx', defaultBackend: backend } }, ['annotations.kubernetes.io/ingress.class: invalid value "nginx": can not be set when the class field is also set']],
    ['an http rule without paths', { spec: { rules: [{ host: 'app.example.com', http: { paths: [] } }] } }, ['spec.rules[0].http.paths: required value']],
    // validateHTTPIngressPath stops at a missing pathType: the backend is not judged.
    ['a path without pathType', rule(path({ pathType: undefined, backend: {} })), [`${P}.pathType: required value: pathType must be specified`]],
    ['an unknown pathType', rule(path({ pathType: 'Regex' })), [`${P}.pathType: unsupported value "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`]],
    ['an ImplementationSpecific path that is relative', rule(path({ pathType: 'ImplementationSpecific', path: 'api/' })), [`${P}.path: invalid value "api/": must be an absolute path`]],
    ['an empty Prefix path', rule(path({ path: undefined })), [`${P}.path: invalid value "": must be an absolute path`]],
    ['a Prefix path with /../ and ending in /..', rule(path({ path: '/a/../b/..' })), [`${P}.path: invalid value "/a/../b/..": must not contain '/../'`, `${P}.path: invalid value "/a/../b/..": cannot end with '/..'`]],
  ])('refuses %s', (_what, doc, expected) => {
    expect(errorsOf(doc)).toEqual(expected);
  });

  it('warns about a host label of 64 characters, not one of 63, in rules and TLS hosts', () => {
    const host = (n: number) => `${'a'.repeat(n)}.example.com`;
    expect(ingressFindings({ spec: { rules: [{ host: host(63) }], tls: [{ hosts: [host(63)] }] } })).toEqual({ errors: [], warnings: [] });
    const { warnings } = ingressFindings({ spec: { rules: [{ host: host(64) }], tls: [{ hosts: [host(64)] }] } });
    expect(warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual(['spec.rules[0].host', 'spec.tls[0].hosts[0]']);
    expect(warnings[0]).toContain('has a label of 64 characters; a DNS label has at most 63');
  });

  it('accepts an IP address as a TLS host (only rule hosts must be DNS names) and refuses a TLS secret name that is no DNS subdomain', () => {
    expect(errorsOf({ spec: { defaultBackend: backend, tls: [{ hosts: ['10.0.0.1'], secretName: 'app-tls' }] } })).toEqual([]);
    expect(errorsOf({ spec: { defaultBackend: backend, tls: [{ secretName: 'App_TLS' }] } })).toEqual([
      `spec.tls[0].secretName: invalid value "App_TLS": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`,
    ]);
  });

  it('reports null rules, paths and TLS entries instead of failing on them', () => {
    expect(errorsOf({ spec: { defaultBackend: backend, rules: [null], tls: [null] } })).toEqual([]);
    expect(errorsOf(rule(null as unknown as Doc))).toEqual([`${P}.pathType: required value: pathType must be specified`]);
  });
});

describe('NetworkPolicy', () => {
  const policy = (spec: Doc) => {
    const errs = new Errors();
    validateNetworkPolicy({ spec }, errs);
    return errs.list.map(formatError);
  };
  const from = (...peers: unknown[]) => policy({ podSelector: {}, ingress: [{ from: peers }] });
  const to = (...ports: unknown[]) => policy({ podSelector: {}, egress: [{ ports }] });
  const ipBlock = (cidr: string, ...except: string[]) => from({ ipBlock: { cidr, except } });
  const E = 'spec.ingress[0].from[0].ipBlock.except[0]';
  const subset = (e: string) => [`${E}: invalid value "${e}": must be a strict subset of \`cidr\``];

  it.each([
    ['10.0.0.0/8', ['10.1.0.0/16']],
    ['010.1.2.3/8', ['10.255.255.255/32']],
    ['2001:db8::/32', ['2001:db8:1::/48', '2001:db8::1/128']],
  ])('accepts %s except %j', (cidr, except) => {
    expect(ipBlock(cidr, ...except)).toEqual([]);
  });

  it.each([
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['10.0.0.0/16', '10.0.0.0/8'],
    ['10.0.0.0/8', '11.0.0.0/16'],
    ['10.0.0.0/8', '2001:db8::/48'],
    ['2001:db8::/32', '2001:db9::/48'],
    ['2001:db8::/48', '2001:db8::/32'],
  ])('refuses %s except %s', (cidr, e) => {
    expect(ipBlock(cidr, e)).toEqual(subset(e));
  });

  it.each(['10.0.0.0', '10.0.0.0/8/8', '10.0.0.0/33', '10.0.0.256/8', '10.0.0.0/x8', '10.0.0.0/8x', '10.0.0.0/ 8', '10.0.0.0/8 ', 'x10.0.0.0/8', '10.0.0.0.1/8', '2001:db8::/129', 'host/8'])('refuses the CIDR %s', (cidr) => {
    expect(ipBlock(cidr)).toEqual([`spec.ingress[0].from[0].ipBlock.cidr: invalid value "${cidr}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`]);
  });

  it('refuses an ipBlock without cidr, an exception that is no CIDR, and a peer of nothing', () => {
    expect(from({ ipBlock: {} })).toEqual(['spec.ingress[0].from[0].ipBlock.cidr: required value']);
    expect(ipBlock('10.0.0.0/8', '10.1.0.0')).toEqual([`${E}: invalid value "10.1.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`]);
    expect(from({})).toEqual(['spec.ingress[0].from[0]: required value: must specify a peer']);
  });

  it('accepts a pod and a namespace selector together', () => {
    expect(from({ podSelector: {}, namespaceSelector: { matchLabels: { team: 'a' } } })).toEqual([]);
  });

  it('checks the pod selector and each egress peer', () => {
    expect(policy({ podSelector: { matchLabels: { app: 'a b' } }, egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In' }] } }] }] })).toEqual([
      `spec.podSelector.matchLabels: invalid value "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')`,
      "spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values: required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });

  it('accepts ports without protocol, a range, SCTP and UDP', () => {
    expect(to({ port: 53 }, { port: 8000, endPort: 8000, protocol: 'UDP' }, { port: 'sctp-port', protocol: 'SCTP' }, { protocol: 'TCP' })).toEqual([]);
  });

  it.each([
    ['an unknown protocol', { port: 80, protocol: 'ICMP' }, ['spec.egress[0].ports[0].protocol: unsupported value "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    ['an endPort without a port', { endPort: 9000 }, ['spec.egress[0].ports[0].endPort: invalid value 9000: may not be specified when `port` is not specified']],
    ['an endPort out of range', { port: 80, endPort: 70000 }, ['spec.egress[0].ports[0].endPort: invalid value 70000: must be between 1 and 65535, inclusive']],
    ['a port name that is no IANA service name', { port: 'http_port' }, ['spec.egress[0].ports[0].port: invalid value "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
  ])('refuses %s', (_what, port, expected) => {
    expect(to(port)).toEqual(expected);
  });

  it('accepts one or two policy types and refuses others or more', () => {
    expect(policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })).toEqual([]);
    expect(policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] })).toEqual(['spec.policyTypes: invalid value ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes']);
    expect(policy({ podSelector: {}, policyTypes: ['Ingres'] })).toEqual(['spec.policyTypes[0]: unsupported value "Ingres": supported values: "Egress", "Ingress"']);
  });

  it('reports null rules instead of failing on them', () => {
    expect(policy({ podSelector: {}, ingress: [null], egress: [null] })).toEqual([]);
  });
});
