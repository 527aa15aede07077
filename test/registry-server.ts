import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort } from './helpers';

// A real registry on loopback for the tests: Debian's docker-registry (distribution 2.8), and
// images pushed to it with the registry HTTP API, as a build's `docker push` does.

/** The registry binary, when this machine has it (apt-get install docker-registry). */
export const REGISTRY_BINARY = spawnSync('sh', ['-c', 'command -v docker-registry']).stdout?.toString().trim() ?? '';


export const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A registry started on a free loopback port with its storage in a scratch folder. */
export interface TestRegistry {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'));
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Up to 20 s to answer: the machine may be busy.
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    if ((await fetch(`${url}/v2/`).catch(() => undefined))?.status === 200) return { url, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`docker-registry did not answer on ${url}`);
}

async function expectStatus(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** Uploads a blob in one PUT (POST starts the upload, PUT with `?digest=` ends it). */
async function pushBlob(base: string, name: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const started = await expectStatus(await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' }), 202, `start upload to ${name}`);
  const location = new URL(started.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  await expectStatus(await fetch(location, { method: 'PUT', body: new Uint8Array(blob), headers: { 'Content-Type': 'application/octet-stream' } }), 201, `upload to ${name}`);
  return digest;
}

async function putManifest(base: string, name: string, reference: string, type: string, body: Buffer): Promise<string> {
  const res = await expectStatus(await fetch(`${base}/v2/${name}/manifests/${reference}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': type } }), 201, `manifest ${name}:${reference}`);
  return res.headers.get('docker-content-digest')!;
}

/**
 * Pushes a one-layer linux/amd64 image as an OCI image index under `name:tag` and returns the
 * index digest as the registry computed it (its `Docker-Content-Digest`), with the local hash.
 */
export async function pushIndex(base: string, name: string, tag: string): Promise<{ readonly registry: string; readonly local: string }> {
  const tar = Buffer.alloc(1024); // an empty tar archive: two zero blocks
  const layer = gzipSync(tar);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { image: `${name}:${tag}` } }, rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }));
  const configDigest = await pushBlob(base, name, config);
  const layerDigest = await pushBlob(base, name, layer);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  }));
  const manifestDigest = await putManifest(base, name, sha256(manifest), 'application/vnd.oci.image.manifest.v1+json', manifest);
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, platform: { architecture: 'amd64', os: 'linux' } }],
  }));
  return { registry: await putManifest(base, name, tag, 'application/vnd.oci.image.index.v1+json', index), local: sha256(index) };
}

/**
 * A front for `upstream` that asks for a Bearer token as ghcr.io and Docker Hub do: every
 * `/v2/` request without `Authorization: Bearer <token>` gets a 401 challenge naming the realm
 * `/token` on this server, which hands out the token for the scope asked. It can lie about a
 * manifest's digest, as a broken or hostile mirror might.
 */
export async function bearerFront(upstream: string): Promise<{ readonly url: string; readonly scopes: string[]; readonly lieAbout: Set<string>; readonly moveOnGet: Set<string>; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const scopes: string[] = [];
  /** Repositories whose manifests this front announces under another digest than their bytes'. */
  const lieAbout = new Set<string>();
  /** Repositories whose tag seems to move between a HEAD and the GET after it. */
  const moveOnGet = new Set<string>();
  const TOKEN = 'anonymous-pull-token';
  const server = http.createServer(async (req, res) => {
    const at = new URL(req.url!, url);
    if (at.pathname === '/token') {
      scopes.push(`${at.searchParams.get('service')} ${at.searchParams.get('scope')}`);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      const name = at.pathname.split('/manifests/')[0].slice('/v2/'.length);
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${url}/token",service="test-registry",scope="repository:${name}:pull"` }).end();
      return;
    }
    const name = at.pathname.split('/manifests/')[0].slice('/v2/'.length);
    const up = await fetch(`${upstream}${req.url}`, { method: req.method, headers: { accept: String(req.headers.accept ?? '') } });
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'docker-content-digest', 'content-length']) if (up.headers.get(h)) headers[h] = up.headers.get(h)!;
    if ((lieAbout.has(name) || (moveOnGet.has(name) && req.method === 'GET')) && headers['docker-content-digest']) headers['docker-content-digest'] = sha256(`not ${headers['docker-content-digest']}`);
    res.writeHead(up.status, headers).end(Buffer.from(await up.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url, scopes, lieAbout, moveOnGet, stop: () => new Promise((r) => server.close(() => r())) };
}
