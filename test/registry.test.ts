import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointProblem, MANIFEST_TYPES, normaliseReference, parseChallenges, parseMirrors, registryBase, resolveDigest } from '../app/registry';
import { deleteWaivers, overlayImages, waiversLeftUnused } from '../app/waivers';
import { sha256 } from './registry-server';

// The parts of `npm run pin` that read text: references as Docker reads them, registry
// challenges, --registry, and the waivers a pinned release leaves unused.

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('image references as a registry reads them', () => {
  it('puts a name without a registry on Docker Hub, an official image under library/', () => {
    expect(normaliseReference('redis:7.4.1-alpine')).toEqual({ registry: 'docker.io', name: 'library/redis', tag: '7.4.1-alpine' });
    expect(normaliseReference('grafana/grafana:11.3.0')).toEqual({ registry: 'docker.io', name: 'grafana/grafana', tag: '11.3.0' });
    expect(normaliseReference('docker.io/redis:7')).toEqual({ registry: 'docker.io', name: 'library/redis', tag: '7' });
    expect(normaliseReference('index.docker.io/tripolskypetr/signal-app:1.5.4')).toEqual({ registry: 'docker.io', name: 'tripolskypetr/signal-app', tag: '1.5.4' });
  });

  it('reads a first component with a dot, a port or localhost as the registry', () => {
    expect(normaliseReference('ghcr.io/peripheral/peripheral-backend:1.7.3')).toEqual({ registry: 'ghcr.io', name: 'peripheral/peripheral-backend', tag: '1.7.3' });
    expect(normaliseReference('quay.io/prometheus/node-exporter:v1.8.2')).toEqual({ registry: 'quay.io', name: 'prometheus/node-exporter', tag: 'v1.8.2' });
    expect(normaliseReference('registry:5000/team/app:1.0')).toEqual({ registry: 'registry:5000', name: 'team/app', tag: '1.0' });
    expect(normaliseReference('localhost/app:1.0')).toEqual({ registry: 'localhost', name: 'app', tag: '1.0' });
    expect(normaliseReference('team/app:1.0')).toEqual({ registry: 'docker.io', name: 'team/app', tag: '1.0' });
  });

  it('keeps a tag and a digest apart, and refuses what is not a reference', () => {
    expect(normaliseReference(`redis:7.4.1-alpine@${DIGEST}`)).toEqual({ registry: 'docker.io', name: 'library/redis', tag: '7.4.1-alpine', digest: DIGEST });
    expect(normaliseReference(`ghcr.io/a/b@${DIGEST}`)).toEqual({ registry: 'ghcr.io', name: 'a/b', digest: DIGEST });
    expect(normaliseReference('Redis:7')).toBeUndefined();
  });

  it('reads Docker Hub at registry-1.docker.io, any other registry at its own host, a mirror where given', () => {
    expect(registryBase('docker.io', new Map())).toBe('https://registry-1.docker.io');
    expect(registryBase('ghcr.io', new Map())).toBe('https://ghcr.io');
    expect(registryBase('registry:5000', new Map())).toBe('https://registry:5000');
    expect(registryBase('docker.io', new Map([['docker.io', 'https://mirror.example.com/']]))).toBe('https://mirror.example.com');
  });
});

describe('WWW-Authenticate challenges', () => {
  it('reads a Bearer challenge with quoted values that hold commas and colons', () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/redis:pull,push"')).toEqual([
      { scheme: 'Bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/redis:pull,push' } },
    ]);
  });

  it('reads several challenges, unquoted values, spaces, escapes and parameter names in any case', () => {
    expect(parseChallenges('Basic realm="x", Bearer Realm = "https://q.io/v2/auth" , service=quay.io,error="say \\"no\\""')).toEqual([
      { scheme: 'Basic', params: { realm: 'x' } },
      { scheme: 'Bearer', params: { realm: 'https://q.io/v2/auth', service: 'quay.io', error: 'say "no"' } },
    ]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('where the command may send requests', () => {
  it('allows https, and plain http only to this machine', () => {
    for (const ok of ['https://ghcr.io', 'http://127.0.0.1:5000', 'http://localhost:5000', 'http://[::1]:5000', 'http://127.3.2.1']) expect(endpointProblem(ok), ok).toBeUndefined();
    for (const bad of ['http://mirror.example.com', 'http://10.0.0.1:5000', 'http://127.0.0.1.example.com', 'ftp://127.0.0.1', 'mirror']) expect(endpointProblem(bad), bad).toBeDefined();
  });

  it('reads --registry <registry>=<url>, and names what is wrong', () => {
    expect(parseMirrors(['docker.io=http://127.0.0.1:5000', 'GHCR.io=https://m.example.com'])).toEqual(new Map([['docker.io', 'http://127.0.0.1:5000'], ['ghcr.io', 'https://m.example.com']]));
    expect(parseMirrors(['docker.io=http://mirror.example.com'])).toEqual({ problem: '--registry docker.io: "http://mirror.example.com" is not https; plain http is allowed only to this machine (localhost, 127.0.0.0/8, [::1])' });
    expect(parseMirrors(['http://127.0.0.1:5000'])).toEqual({ problem: expect.stringContaining('expected <registry>=<url>') });
  });
});

describe('digest waivers a pinned release leaves unused', () => {
  it('finds the waived references nothing runs by tag any more, and the images an overlay sets itself', () => {
    const waivers = { 'redis:7.4.1-alpine': 'r', 'rclone/rclone:1.68.2': 'r', 'postgres:16.4': 'r' };
    expect(waiversLeftUnused(waivers, [`redis:7.4.1-alpine@${DIGEST}`, 'rclone/rclone:1.68.2', 'postgres:16'])).toEqual(['redis:7.4.1-alpine', 'postgres:16.4']);
    const overlay = { env: { objectStorage: { image: 'rclone/rclone:1.68.2' } }, tradebot: { images: { db: 'postgres:16.4' }, pgadmin: { image: 'dpage/pgadmin4:8.12' } } };
    expect(overlayImages(overlay)).toEqual([{ path: 'env.objectStorage.image', image: 'rclone/rclone:1.68.2' }, { path: 'tradebot.pgadmin.image', image: 'dpage/pgadmin4:8.12' }]);
  });

  it('deletes a waiver\'s one line, and refuses one it cannot find as one line', () => {
    const source = "    imageDigestWaivers: {\n      'redis:7.4.1-alpine': REASON,\n      \"postgres:16.4\": 'reason', // why\n      'redis:7.4.1-alpine-x': REASON,\n    },\n";
    expect(deleteWaivers(source, ['redis:7.4.1-alpine', 'postgres:16.4'])).toEqual({ text: "    imageDigestWaivers: {\n      'redis:7.4.1-alpine-x': REASON,\n    },\n" });
    expect(deleteWaivers("  'redis:7.4.1-alpine':\n    REASON,\n", ['redis:7.4.1-alpine'])).toEqual({ problems: [expect.stringContaining('env.imageDigestWaivers["redis:7.4.1-alpine"]: found 0 lines')] });
  });
});

describe('what a registry answers that records nothing', () => {
  // A registry stand-in on loopback, one answer per repository; the real registry's answers are
  // in test/pin.test.ts.
  const answers: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
    'team/basic': (_, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="registry"' }).end(),
    'team/open-realm': (_, res) => res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://auth.example.com/token",service="x"' }).end(),
    'team/no-digest': (_, res) => res.writeHead(200, { 'Content-Type': MANIFEST_TYPES[0] }).end('{}'),
    'team/schema1': (_, res) => res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'Docker-Content-Digest': sha256('{}') }).end('{}'),
  };
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => answers[/^\/v2\/(.+)\/manifests\//.exec(req.url!)![1]](req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const resolve = (name: string) => resolveDigest({ registry: 'ghcr.io', name, tag: '1.0' }, { mirrors: new Map([['ghcr.io', url]]) });

  it('fails on a challenge for credentials, a token realm over plain http, no digest, or a manifest of another type', async () => {
    await expect(resolve('team/basic')).rejects.toThrow('ghcr.io team/basic: HTTP 401 to HEAD with Basic; only public images resolve (anonymous Bearer tokens)');
    await expect(resolve('team/open-realm')).rejects.toThrow('ghcr.io team/open-realm: the token realm "http://auth.example.com/token" is not https; plain http is allowed only to this machine');
    await expect(resolve('team/no-digest')).rejects.toThrow(`${url} (ghcr.io) team/no-digest:1.0: the registry sent no sha256 Docker-Content-Digest (got "")`);
    await expect(resolve('team/schema1')).rejects.toThrow(`${url} (ghcr.io) team/schema1:1.0: the manifest is "application/vnd.docker.distribution.manifest.v1+prettyjws"; allowed: ${MANIFEST_TYPES.join(', ')}`);
  });
});

describe('a registry that cannot be reached', () => {
  it('fails naming the request', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(resolveDigest({ registry: 'docker.io', name: 'library/redis', tag: '7' }, { mirrors: new Map([['docker.io', url]]) })).rejects.toThrow(`HEAD ${url}/v2/library/redis/manifests/7 failed: ECONNREFUSED`);
  });
});
