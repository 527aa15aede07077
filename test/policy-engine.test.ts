import { describe, expect, it } from 'vitest';
import { runPolicy, unusedDigestWaivers } from '../src/policy/engine';
import { digestWaiver } from '../src/policy/content';
import { RULES } from '../src/policy/rules';
import { prodTestEnv, testEnv } from './helpers';

// The policy engine on hand-written documents: waivers of unknown rules, the digest waivers a
// production env lists, and digest waivers that no longer waive anything.

type Doc = Record<string, any>;
const DIGEST = `@sha256:${'c'.repeat(64)}`;
const pod = (name: string, ...images: unknown[]) => ({ kind: 'Deployment', metadata: { name }, spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } } });
const objects = (env: string, docs: Doc[]) => docs.map((doc, i) => ({ env, platform: 'demo', constructPath: `demo/o${i}`, doc }));

describe('runPolicy', () => {
  it('reports a waiver of an unknown rule, naming the object and every rule, and lists known ones', () => {
    const env = testEnv();
    const report = runPolicy(env, 'demo-test', objects('test', [{ kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'demo-test', annotations: { 'trading-platform-manifests/waive-read-only-rot': 'a typo that waives nothing', 'trading-platform-manifests/waive-names': 'the name is fine, really' } } }]), []);
    expect(report.violations).toEqual([`test/demo/o0: waiver of unknown rule "read-only-rot" on ConfigMap/cm; rules: ${RULES.map((r) => r.id).join(', ')}`]);
    expect(report.waivers).toEqual([{ env: 'test', platform: 'demo', object: 'ConfigMap/cm', rule: 'names', reason: 'the name is fine, really' }]);
  });

  it('lists, in production, each image an object runs by tag under the env\'s digest waiver, once per object', () => {
    const env = prodTestEnv({ imageDigestWaivers: { 'redis:7.4.1-alpine': '  the vendor publishes no digest yet  ', 'postgres:16.4': 'short' } });
    const docs = [pod('cache', 'redis:7.4.1-alpine', 'redis:7.4.1-alpine', `redis:7.4.1-alpine${DIGEST}`, 'postgres:16.4', 42), { kind: 'ConfigMap', metadata: { name: 'cm' } }];
    expect(runPolicy(env, 'demo-test', objects(env.name, docs), []).waivers).toEqual([
      { env: env.name, platform: 'demo', object: 'Deployment/cache', rule: 'image-digest', reason: 'redis:7.4.1-alpine: the vendor publishes no digest yet' },
    ]);
    expect(runPolicy(testEnv({ imageDigestWaivers: env.imageDigestWaivers }), 'demo-test', objects('test', docs), []).waivers).toEqual([]);
  });
});

describe('digestWaiver', () => {
  it('takes a reason of 10 characters once trimmed', () => {
    const env = testEnv({ imageDigestWaivers: { a: ' 0123456789 ', b: ' 012345678 ', c: 12 as unknown as string } });
    expect([digestWaiver(env, 'a'), digestWaiver(env, 'b'), digestWaiver(env, 'c'), digestWaiver(testEnv(), 'a')]).toEqual(['0123456789', undefined, undefined, undefined]);
  });
});

describe('unusedDigestWaivers', () => {
  it('reports a waiver that no container of its own env runs by tag, whatever other envs run', () => {
    const prod = prodTestEnv({ name: 'prod', imageDigestWaivers: { 'redis:7.4.1-alpine': 'the vendor publishes no digest yet', 'grafana/grafana:11.3.0': 'the vendor publishes no digest yet' } });
    const demo = testEnv({ name: 'demo' });
    const docs = [
      ...objects('prod', [pod('cache', 'redis:7.4.1-alpine'), pod('grafana', `grafana/grafana:11.3.0${DIGEST}`, 7), { kind: 'ConfigMap' }]),
      ...objects('demo', [pod('grafana', 'grafana/grafana:11.3.0')]),
    ];
    expect(unusedDigestWaivers({ prod: { env: prod }, demo: { env: demo } }, docs)).toEqual([
      'prod: env.imageDigestWaivers["grafana/grafana:11.3.0"]: no container of prod runs "grafana/grafana:11.3.0" without a digest, so the waiver waives nothing; delete it (a waiver names exactly a reference the env runs by tag)',
    ]);
  });
});
