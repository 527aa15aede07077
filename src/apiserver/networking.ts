/**
 * Ingress and NetworkPolicy: ports of `pkg/apis/networking/validation/validation.go` (Kubernetes
 * 1.27) ValidateIngressSpec (validateIngressRules, validateHTTPIngressPath,
 * validateIngressBackend with validateIngressTypedLocalObjectReference, validateIngressTLS, the class annotation), ValidateNetworkPolicySpec
 * (ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock).
 */
import { BlockList, isIPv6 } from 'node:net';
import { child, Errors, list, obj } from './field';
import { isDNS1123Subdomain, isDNS1035Label, isIP, isValidPathSegmentName, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, validateLabelSelector } from './meta';
import { Warn } from './pod';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** A host of a rule or of TLS: a (wildcard) DNS-1123 subdomain, never an IP address. */
function validateHost(host: string, path: string, errs: Errors, warn: Warn, rule: boolean): void {
  errs.each(path, host, host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host));
  if (rule && isIP(host)) errs.invalid(path, host, 'must be a DNS name, not an IP address');
  const long = host.split('.').find((l) => l.length > 63);
  if (long) warn(path, `"${host}" has a label of ${long.length} characters; a DNS label has at most 63 (RFC 1035), so no resolver finds it and no certificate can name it (newer API servers refuse it; 1.27 checks only the whole name)`);
}

/** validateIngressTypedLocalObjectReference: a resource backend names an object of any kind. */
function validateTypedLocalObjectReference(ref: Record<string, any>, path: string, errs: Errors): void {
  if (ref.apiGroup != null) errs.each(child(path, 'apiGroup'), ref.apiGroup, isDNS1123Subdomain(String(ref.apiGroup)));
  for (const field of ['kind', 'name'] as const) {
    if (!ref[field]) errs.required(child(path, field), `${field} is required`);
    else errs.each(child(path, field), ref[field], isValidPathSegmentName(String(ref[field])));
  }
}

/** validateIngressBackend. */
function validateBackend(backendIn: unknown, path: string, errs: Errors): void {
  const b = obj(backendIn);
  if (b.resource && b.service) return errs.invalid(path, '', 'cannot set both resource and service backends');
  if (b.resource) return validateTypedLocalObjectReference(obj(b.resource), child(path, 'resource'), errs);
  if (!b.service) return errs.invalid(path, '', 'resource or service backend is required');
  if (!b.service.name) errs.required(child(path, 'service.name'));
  else errs.each(child(path, 'service.name'), b.service.name, isDNS1035Label(String(b.service.name)));
  const port = obj(b.service.port);
  if (port.name && port.number) errs.invalid(path, '', 'cannot set both port name & port number');
  else if (port.name) errs.each(child(path, 'service.port.name'), port.name, isValidPortName(String(port.name)));
  else if (port.number) errs.each(child(path, 'service.port.number'), port.number, isValidPortNum(port.number));
  else errs.required(path, 'port name or number is required');
}

/** ValidateIngressCreate → ValidateIngressSpec. */
export function validateIngress(doc: Record<string, any>, errs: Errors, warn: Warn): void {
  const spec = obj(doc.spec);
  const rules = list(spec.rules);
  if (rules.length === 0 && !spec.defaultBackend) errs.invalid('spec', '', 'either `defaultBackend` or `rules` must be specified');
  if (spec.defaultBackend) validateBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
  if (spec.ingressClassName !== undefined) {
    errs.each('spec.ingressClassName', spec.ingressClassName, isDNS1123Subdomain(String(spec.ingressClassName)));
    const annotation = doc.metadata?.annotations?.[CLASS_ANNOTATION];
    if (annotation !== undefined) errs.invalid(`annotations.${CLASS_ANNOTATION}`, annotation, 'can not be set when the class field is also set');
  }
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (rule?.host) validateHost(String(rule.host), child(p, 'host'), errs, warn, true);
    if (!rule?.http) return;
    const paths = list(rule.http.paths);
    if (paths.length === 0) errs.required(child(p, 'http.paths'));
    paths.forEach((hp, j) => {
      const pp = child(child(p, 'http.paths'), j);
      // validateHTTPIngressPath returns at a missing pathType, before the backend.
      if (hp?.pathType === undefined) return errs.required(child(pp, 'pathType'), 'pathType must be specified');
      const value = String(hp.path ?? '');
      if (!PATH_TYPES.includes(hp.pathType)) errs.notSupported(child(pp, 'pathType'), hp.pathType, PATH_TYPES);
      else if (hp.pathType === 'ImplementationSpecific') {
        if (value.length > 0 && !value.startsWith('/')) errs.invalid(child(pp, 'path'), value, 'must be an absolute path');
      } else {
        if (!value.startsWith('/')) errs.invalid(child(pp, 'path'), value, 'must be an absolute path');
        for (const s of BAD_SEQUENCES) if (value.includes(s)) errs.invalid(child(pp, 'path'), value, `must not contain '${s}'`);
        for (const s of BAD_SUFFIXES) if (value.endsWith(s)) errs.invalid(child(pp, 'path'), value, `cannot end with '${s}'`);
      }
      validateBackend(hp.backend, child(pp, 'backend'), errs);
    });
  });
  list(spec.tls).forEach((tls, i) => {
    list(tls?.hosts).forEach((h, j) => validateHost(String(h), `spec.tls[${i}].hosts[${j}]`, errs, warn, false));
    if (tls?.secretName) errs.each(`spec.tls[${i}].secretName`, tls.secretName, isDNS1123Subdomain(String(tls.secretName)));
  });
}

interface Cidr {
  readonly ip: string;
  readonly len: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** netutils.ParseCIDRSloppy: an address (IPv4 octets may have leading zeros) and a prefix length, or undefined. */
function parseCidr(v: string): Cidr | undefined {
  const [ip, len, ...rest] = v.split('/');
  if (rest.length > 0 || !/^[0-9]{1,3}$/.test(len ?? '')) return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  const octets = m?.slice(1).map(Number) ?? [];
  if (octets.length === 4 && octets.every((o) => o <= 255) && Number(len) <= 32) return { ip: octets.join('.'), len: Number(len), family: 'ipv4' };
  if (isIPv6(ip) && Number(len) <= 128) return { ip, len: Number(len), family: 'ipv6' };
  return undefined;
}

/** `cidr.Contains(except.IP) && cidrLen < exceptLen`, as ValidateIPBlock asks (an address of the other family is never inside). */
function strictSubset(cidr: Cidr, except: Cidr): boolean {
  const block = new BlockList();
  block.addSubnet(cidr.ip, cidr.len, cidr.family);
  return block.check(except.ip, except.family) && cidr.len < except.len;
}

const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** ValidateIPBlock: a CIDR, and exceptions strictly inside it. */
function validateIpBlock(blockIn: unknown, path: string, errs: Errors): void {
  const block = obj(blockIn);
  if (!block.cidr) return errs.required(child(path, 'cidr'));
  const cidr = parseCidr(String(block.cidr));
  if (!cidr) return errs.invalid(child(path, 'cidr'), block.cidr, CIDR_MSG);
  list(block.except).forEach((e, i) => {
    const p = `${child(path, 'except')}[${i}]`;
    const ex = parseCidr(String(e));
    if (!ex) return errs.invalid(p, e, CIDR_MSG);
    if (!strictSubset(cidr, ex)) errs.invalid(p, e, 'must be a strict subset of `cidr`');
  });
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** ValidateNetworkPolicyPort. */
function validatePort(portIn: unknown, path: string, errs: Errors): void {
  const port = obj(portIn);
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS);
  if (port.port === undefined) {
    if (port.endPort !== undefined) errs.invalid(child(path, 'endPort'), port.endPort, 'may not be specified when `port` is not specified');
  } else if (typeof port.port === 'number') {
    errs.each(child(path, 'port'), port.port, isValidPortNum(port.port));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errs.invalid(child(path, 'endPort'), port.endPort, 'must be greater than or equal to `port`');
      errs.each(child(path, 'endPort'), port.endPort, isValidPortNum(port.endPort));
    }
  } else {
    if (port.endPort !== undefined) errs.invalid(child(path, 'endPort'), port.endPort, 'may not be specified when `port` is non-numeric');
    errs.each(child(path, 'port'), port.port, isValidPortName(String(port.port)));
  }
}

/** ValidateNetworkPolicyPeer. */
function validatePeer(peerIn: unknown, path: string, errs: Errors): void {
  const peer = obj(peerIn);
  let peers = 0;
  for (const sel of ['podSelector', 'namespaceSelector']) {
    if (peer[sel] === undefined) continue;
    peers++;
    validateLabelSelector(peer[sel], child(path, sel), errs);
  }
  if (peer.ipBlock !== undefined) {
    peers++;
    validateIpBlock(peer.ipBlock, child(path, 'ipBlock'), errs);
  }
  if (peers === 0) errs.required(path, 'must specify a peer');
  else if (peers > 1 && peer.ipBlock !== undefined) errs.forbidden(path, 'may not specify both ipBlock and another peer');
}

/** ValidateNetworkPolicySpec. */
export function validateNetworkPolicy(doc: Record<string, any>, errs: Errors): void {
  const spec = obj(doc.spec);
  validateLabelSelector(spec.podSelector, 'spec.podSelector', errs);
  for (const [dir, peersField] of [['ingress', 'from'], ['egress', 'to']] as const) {
    list(spec[dir]).forEach((rule, i) => {
      const p = `spec.${dir}[${i}]`;
      list(rule?.ports).forEach((port, j) => validatePort(port, `${p}.ports[${j}]`, errs));
      list(rule?.[peersField]).forEach((peer, j) => validatePeer(peer, `${p}.${peersField}[${j}]`, errs));
    });
  }
  const types = list(spec.policyTypes);
  if (types.length > 2) errs.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes');
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.notSupported(`spec.policyTypes[${i}]`, t, ['Egress', 'Ingress']);
  });
}
