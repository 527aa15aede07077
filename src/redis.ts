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
    for (const [f, m] of propShapes(props, { objects: ['storage', 'resources'], strings: ['image'] })) problems.check(f, m);
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
      // on the node, nor the container's env: the Secret's key is mounted as a file, the start
      // script turns it into a config file (mode 0600, in memory) that redis-server reads, and
      // the probes hand it to redis-cli through REDISCLI_AUTH, set for redis-cli alone.
      command: ['sh', '-c', redisStart(persistent)],
      env: {},
      secretFile: { name: 'password', mountPath: SECRET_DIR, file: 'password', secret: props.password },
      health: { exec: ['sh', '-c', REDIS_PING] },
      user: uid,
      writable: ['/tmp', { path: '/run/redis', memory: true, sizeLimit: '1Mi' }], // the config, never on the node's disk
      data: { mountPath: '/data', storage: props.storage },
    });
  }
}

/** Where the generated config lives: an emptyDir that only this container mounts. */
export const REDIS_CONFIG = '/run/redis/redis.conf';

const SECRET_DIR = '/run/secrets/redis';
/** Where the password is mounted from its Secret. */
export const REDIS_PASSWORD_FILE = `${SECRET_DIR}/password`;

/**
 * The probe: redis-cli authenticated through REDISCLI_AUTH, set for that one command from the
 * password file (every byte of it: the trailing `.` keeps a final newline the command
 * substitution would drop). Backquotes: the kubelet runs a probe's command as it is.
 */
export const REDIS_PING = `p="\`cat ${REDIS_PASSWORD_FILE}; echo .\`"; REDISCLI_AUTH="\${p%.}" redis-cli -h 127.0.0.1 ping | grep -q PONG`;

/**
 * The container's start script: writes `requirepass` from {@link REDIS_PASSWORD_FILE} into
 * {@link REDIS_CONFIG}, then replaces itself with redis-server reading that file. Every byte is
 * a \xHH escape inside double quotes, which Redis' config parser (sdssplitargs) decodes, so any
 * password works. An empty password file stops it: Redis reads an empty `requirepass` as no
 * password at all.
 */
export function redisStart(persistent: boolean): string {
  return [
    'set -eu',
    'umask 077',
    // `requirepass ""` turns authentication off: an empty Secret value must not start Redis open.
    `[ -s ${REDIS_PASSWORD_FILE} ] || { echo 'the password file ${REDIS_PASSWORD_FILE} is empty; Redis does not start without a password' >&2; exit 1; }`,
    // od prints the password's bytes as hex; sed turns each pair into \xHH. $$ escapes
    // Kubernetes' own $(VAR) expansion, so the shell sees $(...).
    `printf 'requirepass "%s"\\n' "$$(od -An -v -tx1 ${REDIS_PASSWORD_FILE} | tr -d ' \\n' | sed 's/../\\\\x&/g')" > ${REDIS_CONFIG}`,
    `exec redis-server ${REDIS_CONFIG} --dir /data --appendonly ${persistent ? 'yes' : 'no'} --save ''`,
  ].join('\n');
}
