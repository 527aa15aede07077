import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redis, secretKey } from '../src';
import { REDIS_CONFIG, REDIS_PASSWORD_FILE } from '../src/redis';
import { kubeExpand } from './backup-tools';
import { freePort, renderChart, SMALL } from './helpers';

// The rendered start script and probe, run by a real sh, redis-server and redis-cli: the password
// goes from the file its Secret is mounted as to the server through a config file, never a
// command line or the env, and the probe authenticates through REDISCLI_AUTH.

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const REAL = has('redis-server') && has('redis-cli') && has('od') && has('ps');

const cli = (port: number, auth: string | undefined, ...args: string[]) => {
  const env = { ...process.env };
  delete env.REDISCLI_AUTH;
  if (auth !== undefined) env.REDISCLI_AUTH = auth;
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { env, encoding: 'utf8', timeout: 5000 }).stdout.trim();
};

describe.skipIf(!REAL)('Redis start script with a real redis-server', () => {
  it('starts with the password from the mounted file written to a private config, not a command line', async () => {
    const sts = renderChart((c) => {
      new Redis(c, 'cache', { image: 'redis:7.4.1-alpine', resources: SMALL, password: secretKey('cache', 'password') });
    }).find('StatefulSet', 'cache');
    const container = sts.spec.template.spec.containers[0];
    const probe: string[] = container.readinessProbe.exec.command;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-redis-'));
    const port = await freePort();
    // The pod's paths moved into a scratch folder, and a free port on the loopback only.
    const secrets = path.join(dir, 'secrets');
    const local = (s: string) => s.replaceAll(path.dirname(REDIS_CONFIG), dir).replaceAll(path.dirname(REDIS_PASSWORD_FILE), secrets);
    const script = local(kubeExpand(container.command[2], {})).replace('--dir /data', `--dir ${dir} --port ${port} --bind 127.0.0.1`);
    // Any byte may be in a password, a final newline too.
    const password = `p@ss "w0rd" \\ $(X) \`q\` 'q' é ${port}\n`;
    fs.mkdirSync(secrets);
    fs.writeFileSync(path.join(secrets, path.basename(REDIS_PASSWORD_FILE)), password);
    const server = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH }, stdio: 'ignore' });
    try {
      let pong = '';
      // Up to 20 s for the server to answer: the machine may be busy.
      for (const until = Date.now() + 20_000; Date.now() < until && pong !== 'PONG'; ) {
        await new Promise((r) => setTimeout(r, 100));
        pong = cli(port, password, 'ping');
      }
      expect(pong).toBe('PONG');
      expect(cli(port, undefined, 'ping')).toContain('NOAUTH');
      expect(cli(port, 'wrong', 'ping')).not.toBe('PONG');
      expect(fs.statSync(REDIS_CONFIG.replace(path.dirname(REDIS_CONFIG), dir)).mode & 0o777).toBe(0o600);
      const processes = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      expect(processes).toContain(`redis-server 127.0.0.1:${port}`);
      expect(processes).not.toContain(password.trim());
      // The probe as the kubelet runs it (no $(VAR) expansion), against this server.
      const probed = spawnSync(probe[0], [...probe.slice(1, -1), local(probe.at(-1)!).replace('redis-cli', `redis-cli -p ${port}`)], { env: { PATH: process.env.PATH }, timeout: 5000 });
      expect(probed.status).toBe(0);
      // A wrong password fails the probe.
      fs.writeFileSync(path.join(secrets, path.basename(REDIS_PASSWORD_FILE)), password.trim());
      expect(spawnSync(probe[0], [...probe.slice(1, -1), local(probe.at(-1)!).replace('redis-cli', `redis-cli -p ${port}`)], { env: { PATH: process.env.PATH }, timeout: 5000 }).status).not.toBe(0);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start when the mounted password is empty, which Redis would read as no password', () => {
    const container = renderChart((c) => {
      new Redis(c, 'cache', { image: 'redis:7.4.1-alpine', resources: SMALL, password: secretKey('cache', 'password') });
    }).find('StatefulSet', 'cache').spec.template.spec.containers[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-redis-'));
    const secrets = path.join(dir, 'secrets');
    const local = (s: string) => s.replaceAll(path.dirname(REDIS_CONFIG), dir).replaceAll(path.dirname(REDIS_PASSWORD_FILE), secrets);
    fs.mkdirSync(secrets);
    fs.writeFileSync(path.join(secrets, path.basename(REDIS_PASSWORD_FILE)), '');
    try {
      // Port 0: should the script start the server after all, it listens nowhere and the timeout ends it.
      const script = local(kubeExpand(container.command[2], {})).replace('--dir /data', `--dir ${dir} --port 0`);
      const run = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 5000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('is empty; Redis does not start without a password');
      expect(fs.existsSync(local(REDIS_CONFIG))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(REAL)('Redis start script with a real redis-server', () => {
  it.skip('needs redis-server, redis-cli, od and ps on PATH (apt-get install redis-server)', () => {});
});
