import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { cronSchedule, dnsLabel, storageSize, timeZone, wholeNumber } from './checks';
import { Resources, StorageProfile } from './environment';
import { NetworkPeer } from './network';
import { containerProblems, hardenedContainer, hardenedPodSpec } from './pod';
import { PlatformChart } from './platform-chart';
import { Postgres, POSTGRES_PORT } from './postgres';
import { Problems } from './problems';

/** Props of {@link BackupCronJob}. */
export interface BackupCronJobProps {
  /** The database to dump. Its image runs the dump, so `pg_dump` matches the server's version. */
  readonly database: Postgres;
  /**
   * Cron schedule (five fields), read in `timeZone`.
   * @default "0 3 * * *" (03:00 every night)
   */
  readonly schedule?: string;
  /**
   * IANA time zone of the schedule.
   * @default - the env's time zone ("UTC" unless the overlay says otherwise)
   */
  readonly timeZone?: string;
  /** Days a dump is kept before the next run deletes it. */
  readonly keepDays: number;
  /** Size and class of the backup volume, separate from the database's own. */
  readonly storage: StorageProfile;
  /** CPU and memory of the dump pod. */
  readonly resources: Resources;
}

/**
 * A nightly `pg_dump` (custom format, restorable with `pg_restore`) to a PVC of its own, with
 * retention. Runs never overlap (`concurrencyPolicy: Forbid`), the schedule has an explicit time
 * zone, and a dump is written to `*.partial` and renamed only when complete, so a failed run
 * never leaves a truncated file that looks like a backup.
 */
export class BackupCronJob extends Construct {
  /** Name of the CronJob and of its PVC. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: BackupCronJobProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    this.name = id;
    const schedule = props.schedule ?? '0 3 * * *';
    const zone = props.timeZone ?? chart.timeZone;
    const db = props.database;

    const problems = new Problems();
    problems.check('name', dnsLabel(id, 52));
    problems.check('schedule', cronSchedule(schedule));
    problems.check('timeZone', timeZone(zone));
    problems.check('keepDays', wholeNumber(props.keepDays, 1, 3650));
    problems.check('storage.size', props.storage && typeof props.storage === 'object' ? storageSize(props.storage.size) : 'is missing; give the backup volume size for this env');
    if (!(db instanceof Postgres)) problems.check('database', 'must be a Postgres of this platform');
    else if (PlatformChart.of(db) !== chart) problems.check('database', `"${db.host}" belongs to another platform or env; back up a database of this chart`);
    for (const [f, m] of containerProblems({ image: db?.image, resources: props.resources }, chart.pinnedImages, chart.env.name)) {
      if (f !== 'image') problems.check(f, m); // the database reports its own image
    }
    if (problems.report(this) || !db.peer) return;

    const script = [
      'set -eu',
      // $$ escapes Kubernetes' own $(VAR) expansion, so the shell sees $(date ...).
      'file="/backups/${PGDATABASE}-$$(date -u +%Y%m%dT%H%M%SZ).dump"',
      'pg_dump --format=custom --no-owner --file="${file}.partial"',
      'mv "${file}.partial" "${file}"',
      // -mmin, not -mtime: -mtime rounds down to whole days and would keep one day more.
      `find /backups -maxdepth 1 -type f -name '*.dump' -mmin +${props.keepDays * 1440} -print -delete`,
      "find /backups -maxdepth 1 -type f -name '*.partial' -mmin +60 -print -delete",
      'ls -l /backups',
    ].join('\n');
    const { container, volumes } = hardenedContainer({
      name: 'pg-dump',
      image: db.image,
      command: ['sh', '-c', script],
      env: {
        PGHOST: db.host,
        PGPORT: String(POSTGRES_PORT),
        PGUSER: db.user,
        PGDATABASE: db.database,
        PGPASSWORD: db.password,
      },
      resources: props.resources,
      extraMounts: [{ name: 'backups', mountPath: '/backups' }],
    });
    const storageClassName = props.storage.storageClass ?? chart.env.storageClass;

    new k8s.KubePersistentVolumeClaim(this, 'volume', {
      metadata: chart.metadata(id, { component: 'backup' }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(props.storage.size) } },
      },
    });

    new k8s.KubeCronJob(this, 'Resource', {
      metadata: chart.metadata(id, { component: 'backup' }),
      spec: {
        schedule,
        timeZone: zone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: chart.commonLabels(id, 'backup') },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3 * 3600,
            template: {
              metadata: { labels: chart.commonLabels(id, 'backup') },
              spec: hardenedPodSpec({
                containers: [container],
                volumes: [...volumes, { name: 'backups', persistentVolumeClaim: { claimName: id } }],
                user: db.uid,
                restartPolicy: 'Never',
              }),
            },
          },
        },
      },
    });

    new NetworkPeer(this, 'network', chart, id, chart.selectorLabels(id)).connectTo(db.peer, db.connectPorts);
  }
}
