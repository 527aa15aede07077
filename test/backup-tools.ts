// What the backup round-trip tests need to run a rendered container's script on this machine.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Full path of `prog` on PATH, or `undefined`. */
export function which(prog: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, prog);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The newest Debian PostgreSQL server's bin folder (initdb, pg_ctl, pg_dump, ...), or `undefined`. */
export function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(base, versions[0], 'bin') : undefined;
}

/**
 * The environment a rendered container runs with: its `env` entries, each secretKeyRef taken
 * from `secrets` (by `<secret>/<key>`), then `overrides` (addresses and folders of this machine),
 * and this machine's PATH, which puts the server's own pg_dump first. Nothing else of this
 * process leaks in (no AWS_CA_BUNDLE, no PG* of the caller).
 */
export function podEnv(container: any, secrets: Record<string, string>, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: [pgBinDir(), process.env.PATH].filter(Boolean).join(path.delimiter) };
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) {
      const ref = `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`;
      if (!(ref in secrets)) throw new Error(`no test value for the Secret key ${ref} of ${e.name}`);
      env[e.name] = secrets[ref];
    } else throw new Error(`env ${e.name}: only value and secretKeyRef are supported here`);
  }
  return { ...env, ...overrides };
}

/**
 * Whether Kubernetes passes `text` (a command or argument) to the container unchanged. The
 * kubelet rewrites `$$` to `$` and `$(NAME)` to the value of an env var NAME; text with neither
 * sequence is passed as is, so the test runs exactly what the pod runs.
 */
export function kubernetesExpansionIsIdentity(text: string): boolean {
  return !text.includes('$$') && !text.includes('$(');
}

/** Kubernetes' expansion of a container's command (third_party/forked/golang/expansion): $$ and $(VAR). */
export function kubeExpand(s: string, env: Record<string, string>): string {
  return s.replace(/\$(\$|\(([^)]*)\))/g, (all, x: string, name: string | undefined) => (x === '$' ? '$' : name !== undefined && name in env ? env[name] : all));
}

/**
 * The body of the ```sh block that follows the line `<!-- <marker> -->` in a Markdown text.
 * Throws when there is none, so a renamed marker fails the test instead of skipping a step.
 */
export function fencedBlock(markdown: string, marker: string): string {
  const at = markdown.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`README has no "<!-- ${marker} -->" block`);
  const m = /```sh\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  if (!m) throw new Error(`no \`\`\`sh block after "<!-- ${marker} -->"`);
  return m[1];
}

/** Runs `sh -c script` and returns its exit status and output. */
export function sh(script: string, env: NodeJS.ProcessEnv, cwd?: string) {
  return spawnSync('sh', ['-c', script], { env, cwd, encoding: 'utf8', timeout: 20_000 });
}

/**
 * Starts s3rver (S3-compatible, from npm) in a child process on a free loopback port, with one
 * bucket and the key pair AKIDROUNDTRIP / roundtrip-secret-key, and resolves once it listens. A child, not this process: the tests run rclone with
 * spawnSync, which would block a server in this process's event loop.
 */
export function startS3(directory: string, bucket: string): Promise<{ port: number; stop(): Promise<void> }> {
  const code = `
    const S3rver = require(${JSON.stringify(require.resolve('@20minutes/s3rver'))});
    // A key pair whose id and secret differ, so a swapped or misread key fails.
    require(${JSON.stringify(require.resolve('@20minutes/s3rver/lib/models/account'))}).DUMMY_ACCOUNT.createKeyPair('AKIDROUNDTRIP', 'roundtrip-secret-key');
    const s = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(directory)}, configureBuckets: [{ name: ${JSON.stringify(bucket)} }] });
    s.run().then((a) => console.log(a.port));
    process.on('SIGTERM', () => s.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (status) => reject(new Error(`s3rver exited ${status} before it listened`)));
    child.stdout!.once('data', (d) => {
      child.removeAllListeners('exit');
      const stopped = new Promise<void>((done) => child.once('exit', () => done()));
      resolve({ port: Number(String(d).trim()), stop: () => (child.kill('SIGTERM'), stopped) });
    });
  });
}
