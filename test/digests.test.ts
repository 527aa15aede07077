import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../app/synthesize';
import { platforms } from '../charts';
import { inputs, overlays } from '../overlays';
import { Environment, PlatformChart, WebService } from '../src';
import { containersOf, podSpecOf } from '../src/documents';
import { parseImage } from '../src/image';
import { unusedDigestWaivers } from '../src/policy/engine';
import { inputErrorOf, problemsOf, prodTestEnv, renderChart, renderedPlatforms, SMALL, testEnv } from './helpers';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const REASON = 'digest not yet recorded: a third-party tag';
const web = (image: string) => (c: PlatformChart) => new WebService(c, 'cache', { image, profile: { replicas: 2, resources: SMALL }, port: 6379, healthPath: '/' });
const digestLines = (problems: readonly string[]) => problems.filter((p) => p.includes('[image-digest]'));

describe('images of a production env', () => {
  it('fails when an image has a tag and no digest, naming env, platform, object, container and image', () => {
    for (const image of ['redis:7.4-alpine', 'grafana/grafana:11.3', 'redis:7.4.1-alpine']) {
      expect(digestLines(problemsOf(web(image), prodTestEnv()))).toEqual([
        expect.stringContaining(`test/demo/cache/Resource: [image-digest] Deployment/cache: cache runs "${image}", a tag without a digest; test runs images pinned by digest (name:tag@sha256:<64 hex>) (fix: record the digest in the release file`),
      ]);
    }
  });

  it('passes a digest, with or without its tag', () => {
    for (const image of [`redis:7.4.1-alpine@${DIGEST}`, `redis@${DIGEST}`]) expect(problemsOf(web(image), prodTestEnv())).toEqual([]);
  });

  it('lets an env that is not production run versions', () => {
    expect(digestLines(problemsOf(web('redis:7.4.1-alpine'), testEnv()))).toEqual([]);
  });

  it('passes an image the env waives by its exact reference, and lists the waiver with its reason', () => {
    const env: Environment = prodTestEnv({ imageDigestWaivers: { 'redis:7.4.1-alpine': REASON } });
    const rendered = renderChart(web('redis:7.4.1-alpine'), env);
    expect(rendered.waivers).toContainEqual({ env: 'test', platform: 'demo', object: 'Deployment/cache', rule: 'image-digest', reason: `redis:7.4.1-alpine: ${REASON}` });
    // Another tag of the same repository is another image: the waiver does not cover it.
    expect(digestLines(problemsOf(web('redis:7.4-alpine'), env))).toHaveLength(1);
  });

  it('fails when a waiver gives no reason or waives a reference that has a digest', () => {
    const short = problemsOf(web('redis:7.4.1-alpine'), prodTestEnv({ imageDigestWaivers: { 'redis:7.4.1-alpine': 'todo' } }));
    expect(short.join('\n')).toContain('the reason for running "redis:7.4.1-alpine" without a digest must say why');
    const pinned = problemsOf(web('redis:7.4.1-alpine'), prodTestEnv({ imageDigestWaivers: { [`redis:7.4.1-alpine@${DIGEST}`]: REASON } }));
    expect(pinned.join('\n')).toContain('already carries a digest; waive only a reference without one');
  });

  it('fails when a waiver waives nothing: its image now runs by digest, or not at all', () => {
    const env = prodTestEnv({ imageDigestWaivers: { 'redis:7.4.1-alpine': REASON } });
    const unused = (image: string) => unusedDigestWaivers({ test: { env } }, renderChart(web(image), env).objects);
    const message = 'test: env.imageDigestWaivers["redis:7.4.1-alpine"]: no container of test runs "redis:7.4.1-alpine" without a digest, so the waiver waives nothing; delete it (a waiver names exactly a reference the env runs by tag)';
    expect(unused(`redis:7.4.1-alpine@${DIGEST}`)).toEqual([message]);
    expect(unused(`redis:7.4-alpine@${DIGEST}`)).toEqual([message]);
    expect(unused('redis:7.4.1-alpine')).toEqual([]);
  });

  it('synth refuses a waiver of an image no platform of the env runs by tag, and writes nothing', () => {
    const image = `${Object.keys(overlays.prod.env.imageDigestWaivers ?? {})[0]}-gone`;
    const prod = { ...overlays.prod, env: { ...overlays.prod.env, imageDigestWaivers: { ...overlays.prod.env.imageDigestWaivers, [image]: REASON } } };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-waivers-'));
    try {
      const error = inputErrorOf(() => synthesize({ overlays: { ...overlays, prod }, platforms, outdir: out, inputs }));
      expect(error.problems).toEqual([expect.stringContaining(`prod: env.imageDigestWaivers["${image}"]: no container of prod runs "${image}" without a digest`)]);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('prod waives only images it runs without a digest', () => {
    const held = new Set(
      renderedPlatforms()
        .objects.filter((o) => o.env === 'prod')
        .flatMap((o) => {
          const spec = podSpecOf(o.doc);
          return spec ? containersOf(spec).map(({ c }) => c.image as string) : [];
        }),
    );
    for (const image of Object.keys(overlays.prod.env.imageDigestWaivers ?? {})) {
      expect(held.has(image), image).toBe(true);
      expect(parseImage(image)?.digest, image).toBeUndefined();
    }
  });
});
