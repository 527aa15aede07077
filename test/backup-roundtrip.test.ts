// End to end: the exact scripts the backup CronJob renders dump a real PostgreSQL server and
// upload to a real S3-compatible server (s3rver, in this process) on loopback, with retention;
// then the README's restore steps download the dump and restore it into an empty server, and
// the two databases are compared. Skips, saying why, where PostgreSQL or rclone is missing
// (.ci/run installs both).
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { archiveScript, DUMP_SCRIPT, uploadScript } from '../src/object-storage';
import { findObject } from '../src/testing';
import { overlays } from '../overlays';
import { freePort, renderedPlatforms } from './helpers';
import { fencedBlock, kubernetesExpansionIsIdentity, pgBinDir, podEnv, startS3, which } from './backup-tools';

const root = process.getuid?.() === 0;
const pgBin = pgBinDir();
const rclone = which('rclone');
const missing = [
  pgBin ? undefined : 'PostgreSQL server binaries (apt-get install postgresql)',
  rclone ? undefined : 'rclone (apt-get install rclone)',
  !root || which('runuser') ? undefined : 'runuser, to run PostgreSQL as a non-root user',
].filter(Boolean);
const skip = missing.length > 0 ? `skipped: ${missing.join(', ')} not found` : '';

// The key pair startS3 registers; any other key is refused.
const S3_KEY = { AWS_ACCESS_KEY_ID: 'AKIDROUNDTRIP', AWS_SECRET_ACCESS_KEY: 'roundtrip-secret-key' };
const DB_PASSWORD = 'pw-roundtrip-not-a-secret';

interface Server {
  dir: string;
  port: number;
}

let scratch = ''; // made in beforeAll, so a skipped run leaves nothing behind
const servers: Server[] = [];
let s3: { port: number; stop(): Promise<void> } | undefined;
let s3Port = 0;

/** Runs a command, failing the test with its output if it fails. */
function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return String(r.stdout);
}

/** Runs a PostgreSQL server program as the `postgres` user when this process is root (initdb refuses root). */
function asPostgres(prog: string, args: readonly string[]): string {
  const exe = path.join(pgBin!, prog);
  return root ? run('runuser', ['-u', 'postgres', '--', exe, ...args]) : run(exe, args);
}


/** initdb once (password auth on TCP), a copy of it per server, started on a free loopback port. */
async function startPostgres(name: string): Promise<Server> {
  const template = path.join(scratch, 'initdb');
  if (!fs.existsSync(template)) {
    fs.mkdirSync(template, { mode: 0o700 });
    fs.writeFileSync(path.join(scratch, 'pwfile'), DB_PASSWORD);
    if (root) run('chown', ['postgres', template, path.join(scratch, 'pwfile')]);
    asPostgres('initdb', ['--pgdata', template, '--username=postgres', `--pwfile=${path.join(scratch, 'pwfile')}`, '--auth-host=scram-sha-256', '--auth-local=trust', '--no-sync', '--no-instructions']);
  }
  const dir = path.join(scratch, name);
  run('cp', ['-a', template, dir]);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
  asPostgres('pg_ctl', ['--pgdata', dir, '--options', opts, '--log', path.join(dir, 'log'), '--wait', 'start']);
  const server = { dir, port };
  servers.push(server);
  return server;
}

/** psql as the superuser over TCP, with the password from the environment. */
function psql(server: Server, db: string, sql: string): string {
  return run(path.join(pgBin!, 'psql'), ['--no-psqlrc', '--set=ON_ERROR_STOP=1', '--quiet', '--tuples-only', '--dbname', db, '--command', sql], {
    env: { PATH: process.env.PATH, PGHOST: '127.0.0.1', PGPORT: String(server.port), PGUSER: 'postgres', PGPASSWORD: DB_PASSWORD },
  });
}

/** A plain-text dump of one database: what "the same data" means here (less psql's random \\restrict key). */
function plainDump(server: Server, db: string): string {
  return run(path.join(pgBin!, 'pg_dump'), ['--no-owner', '--format=plain', '--dbname', db], {
    env: { PATH: process.env.PATH, PGHOST: '127.0.0.1', PGPORT: String(server.port), PGUSER: 'postgres', PGPASSWORD: DB_PASSWORD },
  }).replace(/^\\(un)?restrict .*$/gm, '');
}

/** The db role and the empty database the postgres image creates on first start (POSTGRES_USER, POSTGRES_DB). */
function createAppDatabase(server: Server, user: string, db: string): void {
  psql(server, 'postgres', `CREATE ROLE "${user}" LOGIN PASSWORD '${DB_PASSWORD}'`);
  psql(server, 'postgres', `CREATE DATABASE "${db}" OWNER "${user}"`);
}

/** rclone against the loopback server, as the CronJob's upload container is configured. */
function rcloneEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, RCLONE_CONFIG_STORE_ENDPOINT: `http://127.0.0.1:${s3Port}`, HOME: scratch };
}

describe.skipIf(skip !== '')(`backup round trip against real PostgreSQL and S3 servers${skip ? ` (${skip})` : ''}`, () => {
  // tradebot's prod backup: PostgreSQL (the image pg_dump runs in), 14 days kept.
  const rendered = renderedPlatforms();
  const cron = findObject(rendered.objects, 'CronJob', 'db-backup', 'prod', 'tradebot');
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const dumper = pod.initContainers[0];
  const uploader = pod.containers[0];
  const secrets = { [`${envValueFrom(dumper, 'PGPASSWORD')}`]: DB_PASSWORD, ...keyedS3(uploader) };
  let source: Server;
  let target: Server;
  let dumps: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-backup-'));
    fs.chmodSync(scratch, 0o755); // the postgres user reaches its data folders inside
    source = await startPostgres('source');
    target = await startPostgres('target'); // empty, as after a rebuild
    s3 = await startS3(path.join(scratch, 's3'), uploader.env.find((e: any) => e.name === 'BACKUP_BUCKET').value);
    s3Port = s3.port;
    dumps = path.join(scratch, 'backup');
    fs.mkdirSync(dumps);
  }, 30_000);

  afterAll(async () => {
    for (const s of servers) asPostgres('pg_ctl', ['--pgdata', s.dir, '--mode', 'immediate', 'stop']);
    await s3?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('renders scripts Kubernetes passes to the shell unchanged', () => {
    expect(dumper.command).toEqual(['sh', '-c', DUMP_SCRIPT]);
    expect(uploader.command).toEqual(['sh', '-c', uploadScript(14)]);
    for (const c of [dumper, uploader]) expect(kubernetesExpansionIsIdentity(c.command[2])).toBe(true);
  });

  it('dumps, uploads with retention, downloads and restores: the restored database equals the source', () => {
    const db = podEnv(dumper, secrets).PGDATABASE!;
    const user = podEnv(dumper, secrets).PGUSER!;
    createAppDatabase(source, user, db);
    // Data with what a restore must bring back: types, a sequence's position, an index, a view.
    run(path.join(pgBin!, 'psql'), ['--no-psqlrc', '--set=ON_ERROR_STOP=1', '--quiet', '--dbname', db, '--command', [
      'CREATE TABLE trades (id bigserial PRIMARY KEY, symbol text NOT NULL, qty numeric(18,8), at timestamptz, meta jsonb)',
      "INSERT INTO trades (symbol, qty, at, meta) SELECT 'BTC' || (i % 7), i / 3.0, '2026-11-01T00:00:00Z'::timestamptz + i * interval '1 minute', jsonb_build_object('i', i) FROM generate_series(1, 500) i",
      'CREATE INDEX trades_symbol ON trades (symbol)',
      'CREATE VIEW totals AS SELECT symbol, sum(qty) AS qty FROM trades GROUP BY symbol',
    ].join('; ')], { env: { PATH: process.env.PATH, PGHOST: '127.0.0.1', PGPORT: String(source.port), PGUSER: user, PGPASSWORD: DB_PASSWORD } });

    // 1. The dump container's script, with its rendered environment; only the address and the folder differ.
    run(dumper.command[0], dumper.command.slice(1), { env: podEnv(dumper, secrets, { PGHOST: '127.0.0.1', PGPORT: String(source.port), BACKUP_DIR: dumps }) });
    const files = fs.readdirSync(dumps);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^${db}-\\d{8}T\\d{6}Z\\.dump$`));

    // Objects already in the store: one dump past keepDays, one within, and another job's old dump.
    const upEnv = rcloneEnv(podEnv(uploader, secrets, { BACKUP_DIR: dumps }));
    const dest = `store:${upEnv.BACKUP_BUCKET}/${upEnv.BACKUP_PREFIX}`;
    const seed = path.join(scratch, 'seed');
    fs.mkdirSync(seed);
    const old = (name: string, days: number) => {
      fs.writeFileSync(path.join(seed, name), name);
      const t = new Date(Date.now() - days * 86_400_000);
      fs.utimesSync(path.join(seed, name), t, t);
      return path.join(seed, name);
    };
    run('rclone', ['copyto', '--s3-no-check-bucket', old(`${db}-20261115T030000Z.dump`, 15), `${dest}/${db}-20261115T030000Z.dump`], { env: upEnv });
    run('rclone', ['copyto', '--s3-no-check-bucket', old(`${db}-20261117T030000Z.dump`, 13), `${dest}/${db}-20261117T030000Z.dump`], { env: upEnv });
    run('rclone', ['copyto', '--s3-no-check-bucket', old('other-20261101T030000Z.dump', 29), `store:${upEnv.BACKUP_BUCKET}/prod/peripheral/db-backup/other-20261101T030000Z.dump`], { env: upEnv });

    // 2. The upload container's script.
    const log = run(uploader.command[0], uploader.command.slice(1), { env: upEnv });
    expect(log).toContain(files[0]);
    const listed = run('rclone', ['lsf', '--recursive', '--files-only', `store:${upEnv.BACKUP_BUCKET}`], { env: upEnv }).trim().split('\n').sort();
    expect(listed).toEqual(
      [`prod/peripheral/db-backup/other-20261101T030000Z.dump`, `${upEnv.BACKUP_PREFIX}/${db}-20261117T030000Z.dump`, `${upEnv.BACKUP_PREFIX}/${files[0]}`].sort(),
    );

    // 3. The README's restore steps, into an empty server (the role and database as the image creates them).
    createAppDatabase(target, user, db);
    restoreAsReadme('PostgreSQL', target, { DB_USER: user, DB_NAME: db, BUCKET: upEnv.BACKUP_BUCKET!, PREFIX: upEnv.BACKUP_PREFIX!, DUMP: files[0] }, upEnv);
    expect(plainDump(target, db)).toEqual(plainDump(source, db));
    expect(psql(target, db, 'SELECT count(*), max(id) FROM trades').trim()).toBe('500 | 500');
  });

  it('refuses an upload with a wrong secret key (the key reaches rclone from the Secret)', () => {
    const bad = rcloneEnv(podEnv(uploader, { ...secrets, ...keyedS3(uploader, 'wrong') }, { BACKUP_DIR: dumps }));
    const r = spawnSync(uploader.command[0], uploader.command.slice(1), { env: bad, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('SignatureDoesNotMatch');
  });

  it('runs the TimescaleDB restore steps in order: pre-restore, restore, post-restore', () => {
    // TimescaleDB is not available here: stand-ins of its two functions record their calls,
    // so the README's exact steps run, in order, around a real restore.
    const db = 'tsdb';
    psql(target, 'postgres', `CREATE DATABASE ${db}`);
    psql(target, db, [
      'CREATE TABLE restore_calls (n serial, call text)',
      "CREATE FUNCTION timescaledb_pre_restore() RETURNS bool LANGUAGE sql AS $f$ INSERT INTO restore_calls (call) SELECT 'pre:' || (SELECT count(*) FROM pg_class WHERE relname = 'trades'); SELECT true $f$",
      "CREATE FUNCTION timescaledb_post_restore() RETURNS bool LANGUAGE sql AS $f$ INSERT INTO restore_calls (call) SELECT 'post:' || (SELECT count(*) FROM pg_class WHERE relname = 'trades'); SELECT true $f$",
    ].join('; '));
    const upEnv = rcloneEnv(podEnv(uploader, secrets, { BACKUP_DIR: dumps }));
    const dump = fs.readdirSync(dumps)[0];
    restoreAsReadme('TimescaleDB', target, { DB_USER: 'postgres', DB_NAME: db, BUCKET: upEnv.BACKUP_BUCKET!, PREFIX: upEnv.BACKUP_PREFIX!, DUMP: dump }, upEnv);
    // pre ran before the tables existed, post after.
    expect(psql(target, db, 'SELECT string_agg(call, \',\' ORDER BY n) FROM restore_calls').trim()).toBe('pre:0,post:1');
  });

  it('archives a volume before the engine starts, keeps the newest N, and the README restores it: the same tree', () => {
    // breakout-bot's prod engine: its init container archives the data volume.
    const sts = findObject(rendered.objects, 'StatefulSet', 'api', 'prod', 'breakout-bot');
    const archiver = sts.spec.template.spec.initContainers.find((c: any) => c.name === 'backup-data');
    const keep = overlays.prod.breakoutBot.dataBackups.keep;
    expect(archiver.command).toEqual(['sh', '-c', archiveScript(keep)]);
    expect(kubernetesExpansionIsIdentity(archiver.command[2])).toBe(true);

    const volume = path.join(scratch, 'volume');
    fs.mkdirSync(path.join(volume, 'state', 'orders'), { recursive: true });
    fs.writeFileSync(path.join(volume, 'state', 'orders', 'open.json'), JSON.stringify({ id: 1, side: 'buy' }));
    fs.writeFileSync(path.join(volume, 'engine.db'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)));
    fs.writeFileSync(path.join(volume, '.hidden'), 'dotfile');
    const work = path.join(scratch, 'archive');
    fs.mkdirSync(work);
    const env = rcloneEnv(podEnv(archiver, keyedS3(archiver), { VOLUME_DIR: volume, SCRATCH_DIR: work }));
    const dest = `store:${env.BACKUP_BUCKET}/${env.BACKUP_PREFIX}`;
    // keep archives already there, older than the one this start writes
    const seeded = Array.from({ length: keep }, (_, i) => `data-2026010${Math.floor(i / 10)}T0${i % 10}0000Z.tar.gz`);
    const old = path.join(scratch, 'older-archives');
    fs.mkdirSync(old);
    for (const name of seeded) fs.writeFileSync(path.join(old, name), 'old');
    run('rclone', ['copy', '--s3-no-check-bucket', old, dest], { env });

    run(archiver.command[0], archiver.command.slice(1), { env });
    const listed = run('rclone', ['lsf', '--files-only', dest], { env }).trim().split('\n').sort();
    expect(listed).toHaveLength(keep);
    const made = listed.filter((n) => !seeded.includes(n));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^data-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(listed).toEqual([...seeded.slice(1), made[0]].sort()); // the oldest went
    expect(fs.readdirSync(work)).toEqual([]); // nothing left on the node

    const restored = path.join(scratch, 'restored');
    fs.mkdirSync(restored);
    fs.writeFileSync(path.join(restored, 'stale'), 'from the state being replaced');
    const block = fencedBlock(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8'), 'restore: volume');
    run('sh', ['-c', `set -eu\n${block}`], { cwd: fs.mkdtempSync(path.join(scratch, 'restore-')), env: { ...env, IN_POD: '', DATA: restored, BUCKET: env.BACKUP_BUCKET!, PREFIX: env.BACKUP_PREFIX!, ARCHIVE: made[0] } });
    expect(tree(restored)).toEqual(tree(volume));
  });

  /** Runs the README's restore block for `kind` with the test's servers in place of the pod. */
  function restoreAsReadme(kind: string, target: Server, vars: Record<string, string>, storeEnv: NodeJS.ProcessEnv): void {
    const block = fencedBlock(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8'), `restore: ${kind}`);
    const work = fs.mkdtempSync(path.join(scratch, 'restore-'));
    run('sh', ['-c', `set -eu\n${block}`], {
      cwd: work,
      env: { ...storeEnv, ...vars, IN_DB: '', PGHOST: '127.0.0.1', PGPORT: String(target.port), PGPASSWORD: DB_PASSWORD },
    });
  }
});

/** `secret/key` of an env var's secretKeyRef. */
function envValueFrom(container: any, name: string): string {
  const ref = container.env.find((e: any) => e.name === name).valueFrom.secretKeyRef;
  return `${ref.name}/${ref.key}`;
}

/** The S3 key pair under the Secret keys the upload container reads. */
function keyedS3(container: any, secret = S3_KEY.AWS_SECRET_ACCESS_KEY): Record<string, string> {
  return {
    [envValueFrom(container, 'RCLONE_CONFIG_STORE_ACCESS_KEY_ID')]: S3_KEY.AWS_ACCESS_KEY_ID,
    [envValueFrom(container, 'RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY')]: secret,
  };
}

/** Every file under `dir` with its content, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const p = path.join(f.parentPath ?? (f as any).path, f.name);
    out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
  }
  return out;
}
