import { Construct } from 'constructs';
import { propShapes, serviceName, storageSize, wholeNumber } from './checks';
import { SecretKey } from './config';
import { Resources, StorageProfile } from './environment';
import { Connectable, NetworkPeer } from './network';
import { containerProblems } from './pod';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';
import { renderStatefulService } from './stateful';

/** Props of {@link Redis}. */
export interface RedisProps {
  /** Redis image. */
  readonly image: string;
  /** CPU and memory in this env. */
  readonly resources: Resources;
  /** Password clients must give (`requirepass`), a key of an existing Secret. */
  readonly password: SecretKey;
  /**
   * Persistent volume for the append-only file; without it Redis keeps data in memory only and
   * a restart empties it (fine for a pure cache).
   * @default - no persistence
   */
  readonly storage?: StorageProfile;
  /**
   * Uid of the `redis` user in the image.
   * @default 999
   */
  readonly uid?: number;
}

/** Port every Redis listens on. */
export const REDIS_PORT = 6379;

/**
 * Redis as a one-replica StatefulSet behind a headless Service, password required (from a Secret,
 * handed to redis-server in a config file, never on its command line), `redis-cli ping` probes
 * authenticated through `REDISCLI_AUTH`, append-only persistence on a PVC when `storage` is given.
 */
export class Redis extends Construct implements Connectable {
  /** Service name, the host clients connect to. */
  public readonly host: string;
  /** The password key. */
  public readonly password: SecretKey;
  /** The pods as a network peer. */
  public readonly peer!: NetworkPeer;
  /** `[6379]`. */
  public readonly connectPorts: readonly number[] = [REDIS_PORT];

  public constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    this.host = id;
    this.password = props.password;
    const uid = props.uid ?? 999;

    const problems = new Problems();
    for (const [f, m] of propShapes(props, { objects: ['storage', 'resources'], records: ['env'], strings: ['image', 'user', 'database'] })) problems.check(f, m);
    problems.check('name', serviceName(id));
    if (props.storage !== undefined) problems.check('storage.size', storageSize(props.storage?.size));
    problems.check('password', props.password instanceof SecretKey ? undefined : 'must be a Secret reference: secretKey(name, key)');
    problems.check('uid', wholeNumber(uid, 1, 2147483647));
    for (const [f, m] of containerProblems({ image: props.image, resources: props.resources }, chart.pinnedImages, chart.env.name)) problems.check(f, m);
    if (problems.report(this)) return;

    const persistent = props.storage !== undefined;
    (this as { peer: NetworkPeer }).peer = renderStatefulService(this, {
      name: id,
      component: 'cache',
      image: props.image,
      port: { name: 'redis', number: REDIS_PORT },
      resources: props.resources,
      // The password never reaches a command line, where /proc/<pid>/cmdline shows it to anyone
      // on the node: the shell writes it into a config file (mode 0600, on the pod's own
      // emptyDir) with printf, a shell builtin, and redis-server reads that file. Every byte is a
      // \xHH escape inside double quotes, which Redis' config parser (sdssplitargs) decodes, so any
      // password works. redis-cli (probes) reads REDISCLI_AUTH from its env.
      command: ['sh', '-c', redisStart(persistent)],
      env: { REDISCLI_AUTH: props.password },
      health: { exec: ['sh', '-c', 'redis-cli -h 127.0.0.1 ping | grep -q PONG'] },
      user: uid,
      writable: ['/tmp', { path: '/run/redis', memory: true, sizeLimit: '1Mi' }], // the config, never on the node's disk
      data: { mountPath: '/data', storage: props.storage },
    });
  }
}

/** Where the generated config lives: an emptyDir that only this container mounts. */
export const REDIS_CONFIG = '/run/redis/redis.conf';

/**
 * The container's start script: writes `requirepass` from `$REDISCLI_AUTH` into
 * {@link REDIS_CONFIG}, then replaces itself with redis-server reading that file.
 */
export function redisStart(persistent: boolean): string {
  return [
    'set -eu',
    'umask 077',
    // od prints the password's bytes as hex; sed turns each pair into \xHH. $$ escapes
    // Kubernetes' own $(VAR) expansion, so the shell sees $(...).
    `printf 'requirepass "%s"\\n' "$$(printf '%s' "$REDISCLI_AUTH" | od -An -v -tx1 | tr -d ' \\n' | sed 's/../\\\\x&/g')" > ${REDIS_CONFIG}`,
    `exec redis-server ${REDIS_CONFIG} --dir /data --appendonly ${persistent ? 'yes' : 'no'} --save ''`,
  ].join('\n');
}
