/**
 * The input checks of WebService, Worker and Singleton (src/workload/validate.ts), rule by rule:
 * each case builds one workload with one wrong field and expects exactly the lines the synth
 * pipeline reports, `<env>/<platform>/<construct>: <field>: <message>`, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { PlatformChart, WebService, WebServiceProps } from '../src';
import { problemsOf, SMALL } from './helpers';

const IMAGE = 'ghcr.io/acme/api:1.2.3';
const PROFILE = { replicas: 1, resources: SMALL };

function web(chart: PlatformChart, over: Partial<WebServiceProps> | Record<string, unknown> = {}, id = 'backend'): WebService {
  return new WebService(chart, id, { image: IMAGE, profile: PROFILE, port: 8080, healthPath: '/healthz', ...over } as WebServiceProps);
}

describe('workload input checks', () => {
  it('requires a profile, and says nothing more of its resources', () => {
    expect(problemsOf((c) => void web(c, { profile: undefined, image: 'ghcr.io/acme/api:latest' }))).toEqual([
      'test/demo/backend: profile: is missing; give replicas and resources for this env in the overlay',
      'test/demo/backend: image: "ghcr.io/acme/api:latest" uses the tag "latest", which is mutable; pin a version or digest in the test overlay',
    ]);
  });
});
