import { dnsSubdomain, show } from './checks';
import { EnvVars, secretKey } from './config';
import { imageProblem } from './image';
import { Egress, egressProblems } from './network';
import type { ObjectStorageSettings } from './object-storage-settings';

export type { ObjectStorageSettings } from './object-storage-settings';

// S3 bucket names: 3-63 lowercase letters, digits, '-' and '.'.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Prefix segments: the characters S3 treats as safe in keys, no empty segment, no leading or trailing '/'.
const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/**
 * Checks the values of the env's object storage settings (the overlay schema checks their keys
 * and types); returns `[field, message]` pairs, fields under `env.objectStorage`. `undefined` is
 * an error: backups must leave the namespace.
 */
export function objectStorageProblems(s: ObjectStorageSettings | undefined, pinned: boolean, envName: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const at = (f: string, m: string | undefined) => m !== undefined && out.push([`env.objectStorage${f}`, m]);
  if (s === undefined) return [['env.objectStorage', 'is missing; backups go to object storage outside the namespace: set endpoint, region, bucket, prefix, credentials and image']];
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return [['env.objectStorage', `expected an object, got ${show(s)}`]];
  if (typeof s.endpoint !== 'string' || !/^https:\/\/[^\s/@?#]+(\/[^\s@?#]*)?$/.test(s.endpoint)) {
    at('.endpoint', `${show(s.endpoint)} is not an https:// URL without credentials or query, e.g. "https://s3.eu-central-1.amazonaws.com"`);
  }
  if (typeof s.region !== 'string' || !/^[a-z0-9-]{2,32}$/.test(s.region)) at('.region', `${show(s.region)} is not a region; use e.g. "eu-central-1"`);
  if (typeof s.bucket !== 'string' || !BUCKET.test(s.bucket) || s.bucket.includes('..')) at('.bucket', `${show(s.bucket)} is not a bucket name (3-63 lowercase letters, digits, '-' and '.')`);
  if (typeof s.prefix !== 'string' || !PREFIX.test(s.prefix)) at('.prefix', `${show(s.prefix)} is not a key prefix; use segments of letters, digits and -_.!*'() joined by '/', without a leading or trailing '/'`);
  const c = s.credentials;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) at('.credentials', `expected { secret }, got ${show(c)}`);
  else {
    at('.credentials.secret', dnsSubdomain(c.secret));
    for (const k of ['accessKeyIdKey', 'secretAccessKeyKey'] as const) {
      if (c[k] !== undefined && (typeof c[k] !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(c[k]!))) at(`.credentials.${k}`, `${show(c[k])} is not a Secret key`);
    }
  }
  at('.image', imageProblem(s.image, pinned, envName));
  if (s.egress !== undefined) for (const m of egressProblems([s.egress])) at('.egress', m);
  return out;
}

/** Where the uploads of one job go: `<prefix>/<platform>/<job>`. */
export function backupPrefix(s: ObjectStorageSettings, platform: string, job: string): string {
  return `${s.prefix}/${platform}/${job}`;
}

/** The egress rule of pods that upload, from the settings or HTTPS to the internet. */
export function objectStorageEgress(s: ObjectStorageSettings): Egress {
  return s.egress ?? { description: `object storage (${s.endpoint})`, ports: [443] };
}

/**
 * Environment of a container running rclone against the object storage: the remote `store:`,
 * the bucket and this job's prefix. The access key comes from the Secret, by reference.
 */
export function rcloneEnv(s: ObjectStorageSettings, prefix: string): EnvVars {
  return {
    BACKUP_BUCKET: s.bucket,
    BACKUP_PREFIX: prefix,
    // No config file: rclone reads the remote from the variables below.
    RCLONE_CONFIG: '/dev/null',
    RCLONE_CONFIG_STORE_TYPE: 's3',
    RCLONE_CONFIG_STORE_PROVIDER: 'Other',
    RCLONE_CONFIG_STORE_ENDPOINT: s.endpoint,
    RCLONE_CONFIG_STORE_REGION: s.region,
    RCLONE_CONFIG_STORE_ACCESS_KEY_ID: secretKey(s.credentials.secret, s.credentials.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID'),
    RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY: secretKey(s.credentials.secret, s.credentials.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY'),
    // rclone's cache and temporary files, on the writable /tmp.
    HOME: '/tmp',
  };
}

// The scripts below run under `sh -c` in the images (Debian's dash in postgres, BusyBox ash in
// alpine-based images such as rclone's and TimescaleDB's) and, byte for byte, in the end-to-end
// test. They hold no `$(` and no `$$`, the only sequences Kubernetes rewrites in a command
// (`$(VAR)` expansion, `$$` escaping): what is rendered is what runs. Every path, name and
// address comes from the container's environment.

/**
 * Dumps `$PGDATABASE` (custom format, for `pg_restore`) into `$BACKUP_DIR`, written as
 * `*.partial` and renamed only when complete. Runs in the database's own image, so `pg_dump`
 * matches the server's major version.
 */
export const DUMP_SCRIPT = [
  'set -eu',
  'file="$BACKUP_DIR/$PGDATABASE-`date -u +%Y%m%dT%H%M%SZ`.dump"',
  'pg_dump --format=custom --no-owner --file="$file.partial"',
  'mv "$file.partial" "$file"',
  'ls -l "$BACKUP_DIR"',
].join('\n');

/**
 * Uploads the complete dumps of `$BACKUP_DIR` to `store:$BACKUP_BUCKET/$BACKUP_PREFIX` (never
 * overwriting an object), then deletes the dumps there older than `keepDays` days, by the
 * time each dump was written (rclone keeps a file's time with the object).
 */
export function uploadScript(keepDays: number): string {
  return [
    'set -eu',
    'dest="store:$BACKUP_BUCKET/$BACKUP_PREFIX"',
    `rclone copy --immutable --s3-no-check-bucket --max-depth 1 --include '/*.dump' "$BACKUP_DIR" "$dest"`,
    `rclone delete --max-depth 1 --include '/*.dump' --min-age ${keepDays}d "$dest"`,
    'rclone lsl --max-depth 1 "$dest"',
  ].join('\n');
}

/**
 * Archives `$VOLUME_DIR` as `$ARCHIVE_NAME-<UTC time>.tar.gz` in `$SCRATCH_DIR`, uploads it to
 * `store:$BACKUP_BUCKET/$BACKUP_PREFIX`, keeps the newest `keep` archives there (names sort by
 * time) and removes the local copy.
 */
export function archiveScript(keep: number): string {
  return [
    'set -eu',
    'name="$ARCHIVE_NAME-`date -u +%Y%m%dT%H%M%SZ`.tar.gz"',
    'dest="store:$BACKUP_BUCKET/$BACKUP_PREFIX"',
    'tar -czf "$SCRATCH_DIR/$name" -C "$VOLUME_DIR" .',
    'rclone copyto --immutable --s3-no-check-bucket "$SCRATCH_DIR/$name" "$dest/$name"',
    'rm -f "$SCRATCH_DIR/$name"',
    'rclone lsf --max-depth 1 --files-only --include "/$ARCHIVE_NAME-*.tar.gz" "$dest" > "$SCRATCH_DIR/archives"',
    `sort -r "$SCRATCH_DIR/archives" | tail -n +${keep + 1} > "$SCRATCH_DIR/expired"`,
    'if [ -s "$SCRATCH_DIR/expired" ]; then rclone delete --max-depth 1 --files-from-raw "$SCRATCH_DIR/expired" "$dest"; fi',
    'rm -f "$SCRATCH_DIR/archives" "$SCRATCH_DIR/expired"',
    'rclone lsl --max-depth 1 "$dest"',
  ].join('\n');
}
