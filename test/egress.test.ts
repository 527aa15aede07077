import { ApiObject, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { httpsEgress, PlatformChart, ScheduledRestart, waive, WebService } from '../src';
import { rangeOf, specialRangesReached } from '../src/ipv4';
import { problemsOf, renderChart, SMALL } from './helpers';

// Egress by the book: "the internet" is 0.0.0.0/0 minus every IANA special-purpose range, an
// explicit range into a private, link-local or metadata network needs a waiver with a reason,
// and no pod mounts the default ServiceAccount's token (test/api-server.test.ts: the restart
// CronJob reaches only the env's API server).

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const web = (chart: PlatformChart, egress: any[] = [httpsEgress('payments (Stripe)')]) =>
  new WebService(chart, 'api', { image: IMAGE, profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz', egress });
const policyOf = (c: { node: { findChild(id: string): { node: { tryFindChild(id: string): unknown } } } }) =>
  c.node.findChild('network').node.tryFindChild('Resource') as ApiObject;

/** The lines of `problems` that name `rule`. */
const linesOf = (problems: readonly string[], rule: string) => problems.filter((p) => p.includes(`[${rule}]`));

describe('"the internet"', () => {
  const internet = () => renderChart((c) => void web(c)).find('NetworkPolicy', 'api').spec.egress[0].to[0].ipBlock;

  // One address inside each block of the IANA IPv4 Special-Purpose Address Registry (RFC 6890
  // and its updates, nested blocks included) and of multicast (RFC 5771).
  const special = [
    '0.0.0.0', '0.1.2.3', '10.1.2.3', '100.64.0.1', '100.127.255.254', '127.0.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255',
    '192.0.0.8', '192.0.0.170', '192.0.2.1', '192.31.196.1', '192.52.193.1', '192.88.99.1', '192.168.1.1', '192.175.48.1',
    '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '224.0.0.251', '239.255.255.250', '240.0.0.1', '255.255.255.255',
  ];

  it.each(special)('excludes %s', (address) => {
    const { cidr, except } = internet();
    expect(cidr).toBe('0.0.0.0/0');
    expect(except.some((e: string) => rangeOf(e)!.first <= rangeOf(`${address}/32`)!.first && rangeOf(`${address}/32`)!.last <= rangeOf(e)!.last)).toBe(true);
  });

  it('still reaches public addresses', () => {
    const { except } = internet();
    for (const address of ['1.1.1.1', '8.8.8.8', '52.94.76.1', '100.63.255.255', '100.128.0.0', '172.32.0.1', '198.20.0.1', '223.255.255.255']) {
      expect(except.filter((e: string) => rangeOf(e)!.first <= rangeOf(`${address}/32`)!.first && rangeOf(`${address}/32`)!.last <= rangeOf(e)!.last), address).toEqual([]);
    }
    expect(specialRangesReached('0.0.0.0/0', except)).toEqual([]);
  });
});

describe('explicit egress ranges', () => {
  it.each([
    ['169.254.169.254/32', '169.254.0.0/16 (link-local (cloud metadata 169.254.169.254), RFC 3927)'],
    ['10.20.0.0/16', '10.0.0.0/8 (private-use, RFC 1918)'],
    ['172.0.0.0/8', '172.16.0.0/12 (private-use, RFC 1918)'],
    ['100.100.0.0/16', '100.64.0.0/10 (shared address space'],
    ['127.0.0.1/32', '127.0.0.0/8 (loopback'],
  ])('fails when a workload opens %s', (cidr, says) => {
    const problems = problemsOf((c) => void web(c, [{ description: 'metadata', ports: [80], cidrs: ['52.94.76.0/24', cidr] }]));
    const lines = linesOf(problems, 'egress-internal');
    expect(lines, problems.join('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(/^test\/demo\/api\/network\/Resource: \[egress-internal\] NetworkPolicy\/api: egress to /);
    expect(lines[0]).toContain(`egress to ${cidr} on 80 reaches ${says}`);
    expect(lines[0]).toContain('(fix: ');
  });

  it('passes public ranges', () => {
    expect(problemsOf((c) => void web(c, [{ description: 'exchange', ports: [443], cidrs: ['52.94.76.0/24', '3.5.0.0/16'] }]))).toEqual([]);
  });

  it('fails when a JSON patch drops the exceptions from the internet rule', () => {
    const problems = problemsOf((c) => void policyOf(web(c)).addJsonPatch(JsonPatch.remove('/spec/egress/0/to/0/ipBlock/except')));
    expect(linesOf(problems, 'egress-internal')[0]).toContain('egress to 0.0.0.0/0 on 443 reaches 0.0.0.0/8');
  });

  it('passes a range into the cluster network with a waiver and its reason, listed by synth', () => {
    const rendered = renderChart((c) => {
      const api = web(c, [{ description: 'legacy billing VM', ports: [8443], cidrs: ['10.40.1.7/32'] }]);
      waive(api, 'egress-internal', 'the billing VM has no Service; its address is fixed by the network team');
    });
    expect(rendered.find('NetworkPolicy', 'api').metadata.annotations['trading-platform-manifests/waive-egress-internal']).toContain('billing VM');
    expect(rendered.waivers.map((w) => `${w.object} ${w.rule}`)).toEqual(['NetworkPolicy/api egress-internal']);
  });
});

describe('API tokens', () => {
  it('fails when a JSON patch mounts the default ServiceAccount token', () => {
    const problems = problemsOf((c) => {
      (web(c).node.tryFindChild('Resource') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true));
    });
    const lines = linesOf(problems, 'token-automount');
    expect(lines, problems.join('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(/^test\/demo\/api\/Resource: \[token-automount\] Deployment\/api: mounts the default ServiceAccount's API token/);
  });

  it("passes the restart pod, which runs under its own ServiceAccount", () => {
    expect(
      problemsOf((c) => {
        new ScheduledRestart(c, 'nightly', { target: web(c), schedule: '0 0 * * *', image: 'bitnami/kubectl:1.27.16' });
      }),
    ).toEqual([]);
  });
});
