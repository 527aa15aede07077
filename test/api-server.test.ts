import { describe, expect, it } from 'vitest';
import { PlatformChart, ScheduledRestart, WebService } from '../src';
import { problemsOf, renderChart, SMALL, testEnv } from './helpers';

// The restart CronJob reaches only the env's API server, whose addresses every env must name.

const restart = (c: PlatformChart) => {
  const api = new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.2.3', profile: { replicas: 1, resources: SMALL }, port: 8080, healthPath: '/healthz' });
  new ScheduledRestart(c, 'nightly', { target: api, schedule: '0 0 * * *', image: 'bitnami/kubectl:1.27.16' });
};

describe('the API server', () => {
  it("is the restart CronJob's only destination, at the env's addresses", () => {
    const policy = renderChart(restart, testEnv({ apiServerCidrs: ['172.20.0.2/32', '10.0.0.10/32'] })).find('NetworkPolicy', 'nightly');
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.10/32' } }, { ipBlock: { cidr: '172.20.0.2/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
    ]);
  });

  it('fails when the env gives none: the input schema requires the field', () => {
    const env = testEnv();
    delete (env as { apiServerCidrs?: unknown }).apiServerCidrs;
    expect(problemsOf(restart, env)).toEqual(['test: env.apiServerCidrs: required; expected a list']);
  });

  it.each([
    [[], 'env.apiServerCidrs: is []; name the API server\'s addresses'],
    [['10.0.0.0/8'], 'env.apiServerCidrs: "10.0.0.0/8" is wider than a /16'],
    [['169.254.0.1/32'], 'env.apiServerCidrs: "169.254.0.1/32" reaches 169.254.0.0/16 (link-local'],
    [['127.0.0.1/32'], 'env.apiServerCidrs: "127.0.0.1/32" reaches 127.0.0.0/8 (loopback'],
    [['10.0.0.1'], 'env.apiServerCidrs: "10.0.0.1" is not an IPv4 CIDR'],
  ])('fails when the env gives %j', (cidrs, says) => {
    const problems = problemsOf(restart, testEnv({ apiServerCidrs: cidrs as any }));
    expect(problems.some((p) => p.startsWith('test/demo: ') && p.includes(says)), problems.join('\n')).toBe(true);
  });
});
