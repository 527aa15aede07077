// The checks every container's input passes, whatever construct renders it: health checks,
// writable paths, command and args. Each case names the field and what is wrong.
import { describe, expect, it } from 'vitest';
import { containerProblems } from '../src/pod/validate';
import { SMALL } from './helpers';

const base = { name: 'api', image: 'ghcr.io/acme/api:1.2.3', resources: SMALL, ports: [{ name: 'http', containerPort: 8080 }] };
const problems = (extra: object) => containerProblems({ ...base, ...extra } as any, true, 'prod');

describe('containerProblems', () => {
  it('accepts a valid container with every kind of health check', () => {
    expect(problems({ readiness: { http: '/ready' }, liveness: { exec: ['./ping'], timeoutSeconds: 60 }, writable: ['/tmp', { path: '/cache', sizeLimit: '1Gi' }], command: ['./api'], args: ['--port', '8080'] })).toEqual([]);
    expect(problems({ readiness: { tcp: 8080, timeoutSeconds: 1 }, liveness: { http: '/live', port: 9090 } })).toEqual([]);
  });

  it('fails when a health check is not one', () => {
    const msg = (v: string) => `${v} is not a health check; use { http: path }, { exec: [...] } or { tcp: port }`;
    expect(problems({ readiness: 'yes' })).toEqual([['readiness', msg('"yes"')]]);
    expect(problems({ liveness: null })).toEqual([['liveness', msg('null')]]);
    expect(problems({ readiness: { exec: [] } })).toHaveLength(1);
    expect(problems({ readiness: { exec: ['ok', 3] } })).toHaveLength(1);
    expect(problems({ readiness: { exec: 'ping' } })).toHaveLength(1);
    expect(problems({ readiness: { grpc: 1 } })).toHaveLength(1);
  });

  it('fails when a timeout is not a whole number from 1 to 60', () => {
    for (const t of [0, 61, 1.5, '5']) {
      expect(problems({ readiness: { http: '/ready', timeoutSeconds: t } }), String(t)).toEqual([['readiness', `timeoutSeconds ${JSON.stringify(t)} is not allowed; use a whole number from 1 to 60`]]);
    }
  });

  it('fails when an HTTP check has no path or no port to probe', () => {
    expect(problems({ readiness: { http: 3 } })).toHaveLength(1);
    expect(problems({ readiness: { http: '/ready', port: 70000 } })[0][0]).toBe('readiness');
    expect(containerProblems({ ...base, ports: [], readiness: { http: '/ready' } } as any, true, 'prod')).toEqual([
      ['readiness', 'an HTTP check needs a port, and the container has none; give the workload a port or use { http, port }'],
    ]);
    expect(problems({ liveness: { tcp: 0 } })[0][0]).toBe('liveness');
  });

  it('names the probe fields the construct uses in its messages', () => {
    expect(problems({ readiness: 'x', probeFields: { readiness: 'health', liveness: 'liveness' } })[0][0]).toBe('health');
  });

  it('fails on a writable path that is not absolute, a bad size limit, and a command or args that are not lists of strings', () => {
    expect(problems({ writable: ['tmp'] })).toEqual([['writable', '"tmp" is not an absolute path']]);
    expect(problems({ writable: [{ path: '/cache', sizeLimit: 'lots' }] })).toHaveLength(1);
    expect(problems({ writable: [null] })).toEqual([['writable', 'nothing is not an absolute path']]);
    expect(problems({ command: 'run' })).toEqual([['command', 'expected a list of strings, got "run"']]);
    expect(problems({ args: ['--port', 8080] })).toEqual([['args', 'expected a list of strings, got ["--port",8080]']]);
  });
});
