import { Construct } from 'constructs';
import { propShapes, serviceName, storageSize, wholeNumber } from './checks';
import { EnvVars, SecretKey } from './config';
import { Resources, StorageProfile } from './environment';
import { Connectable, NetworkPeer } from './network';
import { containerProblems } from './pod';
import { PlatformChart } from './platform-chart';
import { Problems } from './problems';
import { renderStatefulService } from './stateful';

/** Props of {@link Postgres}. */
export interface PostgresProps {
  /** PostgreSQL image; a TimescaleDB image (`timescale/timescaledb:2.x-pg16`) works the same. */
  readonly image: string;
  /** Size and class of the data volume in this env. */
  readonly storage: StorageProfile;
  /** CPU and memory in this env. */
  readonly resources: Resources;
  /** The superuser password (`POSTGRES_PASSWORD`), a key of an existing Secret. */
  readonly password: SecretKey;
  /**
   * Superuser name.
   * @default "postgres"
   */
  readonly user?: string;
  /**
   * Database created on first start.
   * @default "postgres"
   */
  readonly database?: string;
  /**
   * Uid of the `postgres` user in the image: 999 in the Debian-based official image, 70 in
   * Alpine-based ones (TimescaleDB).
   * @default 999
   */
  readonly uid?: number;
  /**
   * More settings for the server's environment. `POSTGRES_USER`, `POSTGRES_DB`,
   * `POSTGRES_PASSWORD` and `PGDATA` come from the other props and are refused here.
   * @default - none
   */
  readonly env?: EnvVars;
}

/** Port every Postgres listens on. */
export const POSTGRES_PORT = 5432;

/**
 * PostgreSQL as a one-replica StatefulSet: a PVC from the env's storage profile (kept when the
 * StatefulSet is deleted), a headless Service, `pg_isready` startup, readiness and liveness probes, the
 * password from a Secret, read-only root with only the data, socket and /tmp folders writable.
 */
export class Postgres extends Construct implements Connectable {
  /** Service name, the host clients connect to. */
  public readonly host: string;
  /** Image, also used by backups (`pg_dump` of the same major version). */
  public readonly image: string;
  /** Superuser name. */
  public readonly user: string;
  /** Database name. */
  public readonly database: string;
  /** The password key. */
  public readonly password: SecretKey;
  /** Uid of the postgres user in the image. */
  public readonly uid: number;
  /** The pods as a network peer. */
  public readonly peer!: NetworkPeer;
  /** `[5432]`. */
  public readonly connectPorts: readonly number[] = [POSTGRES_PORT];

  public constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    this.host = id;
    this.image = props.image;
    this.user = props.user ?? 'postgres';
    this.database = props.database ?? 'postgres';
    this.password = props.password;
    this.uid = props.uid ?? 999;

    const problems = new Problems();
    for (const [f, m] of propShapes(props, { objects: ['storage', 'resources'], records: ['env'], strings: ['image', 'user', 'database'] })) problems.check(f, m);
    problems.check('name', serviceName(id));
    problems.check('storage.size', props.storage && typeof props.storage === 'object' ? storageSize(props.storage.size) : 'is missing; give the volume size for this env');
    problems.check('password', props.password instanceof SecretKey ? undefined : 'must be a Secret reference: secretKey(name, key)');
    problems.check('uid', wholeNumber(this.uid, 1, 2147483647));
    // The construct sets these itself; a value in env would be dropped without a word.
    const own: Record<string, string> = { POSTGRES_USER: 'the user prop', POSTGRES_DB: 'the database prop', POSTGRES_PASSWORD: 'the password prop', PGDATA: 'the data volume' };
    for (const name of Object.keys(props.env ?? {})) if (Object.hasOwn(own, name)) problems.check(`env.${name}`, `is set by the construct from ${own[name]}; leave it out of env`);
    for (const [f, m] of containerProblems({ image: props.image, resources: props.resources, env: props.env }, chart.pinnedImages, chart.env.name)) problems.check(f, m);
    if (problems.report(this)) return;

    const ready = ['sh', '-c', 'exec pg_isready --host=127.0.0.1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB"'];
    (this as { peer: NetworkPeer }).peer = renderStatefulService(this, {
      name: id,
      component: 'database',
      image: props.image,
      port: { name: 'postgres', number: POSTGRES_PORT },
      resources: props.resources,
      env: {
        ...props.env,
        POSTGRES_USER: this.user,
        POSTGRES_DB: this.database,
        POSTGRES_PASSWORD: props.password,
        PGDATA: '/var/lib/postgresql/data/pgdata',
      },
      health: { exec: ready },
      user: this.uid,
      writable: ['/tmp', '/var/run/postgresql'],
      data: { mountPath: '/var/lib/postgresql/data', storage: props.storage },
    });
  }
}
