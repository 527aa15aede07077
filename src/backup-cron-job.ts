import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { cronSchedule, dnsLabel, storageSize, timeZone, wholeNumber } from './checks';
import { Resources, StorageProfile } from './environment';
import { NetworkPeer } from './network';
import { backupPrefix, DUMP_SCRIPT, objectStorageEgress, objectStorageProblems, rcloneEnv, uploadScript } from './object-storage';
import { containerProblems, hardenedContainer, hardenedPodSpec } from './pod';
import { PlatformChart } from './platform-chart';
import { Postgres, POSTGRES_PORT } from './postgres';
import { Problems } from './problems';
import { quantityValue } from './quantity';

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
  /** Days a dump is kept in the object storage before a later run deletes it. */
  readonly keepDays: number;
  /**
   * Size and class of the volume one dump is written to before it is uploaded: it exists only
   * while the Job's pod does.
   */
  readonly storage: StorageProfile;
  /** CPU and memory of the dump pod. */
  readonly resources: Resources;
}

/**
 * A nightly `pg_dump` (custom format, restorable with `pg_restore`) uploaded to the env's object
 * storage (`env.objectStorage`), outside the namespace, as
 * `<prefix>/<platform>/<name>/<database>-<UTC time>.dump`, with retention there.
 *
 * The dump runs in an init container of the database's image (so `pg_dump` matches the server),
 * into a volume that lives only as long as the pod; the upload runs in the rclone image once the
 * dump is complete, so a failed dump uploads nothing. Runs never overlap (`concurrencyPolicy:
 * Forbid`) and the schedule has an explicit time zone. The scripts (`DUMP_SCRIPT` and
 * `uploadScript` in object-storage.ts) are what the end-to-end test runs against real servers.
 */
export class BackupCronJob extends Construct {
  /** Name of the CronJob. */
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
    const size = props.storage?.size;
    problems.check('storage.size', size === undefined ? 'is missing; give the size of the volume a dump is written to' : storageSize(size));
    // The volume is claimed when each run's pod starts: the API server refuses a size of zero
    // then, every night, long after the CronJob itself applied.
    if (storageSize(size) === undefined && !(quantityValue(size) > 0)) problems.check('storage.size', `"${size}" must be greater than zero: one dump is written to a volume of this size`);
    if (!(db instanceof Postgres)) problems.check('database', 'must be a Postgres of this platform');
    else if (PlatformChart.of(db) !== chart) problems.check('database', `"${db.host}" belongs to another platform or env; back up a database of this chart`);
    for (const [f, m] of containerProblems({ image: db?.image, resources: props.resources }, chart.pinnedImages, chart.env.name)) {
      if (f !== 'image') problems.check(f, m); // the database reports its own image
    }
    const store = chart.env.objectStorage!;
    for (const [f, m] of objectStorageProblems(chart.env.objectStorage, chart.pinnedImages, chart.env.name)) problems.check(f, m);
    if (problems.report(this) || !db.peer) return;

    const scratch = { name: 'backup', mountPath: '/backup' };
    const dump = hardenedContainer({
      name: 'pg-dump',
      image: db.image,
      command: ['sh', '-c', DUMP_SCRIPT],
      env: {
        BACKUP_DIR: scratch.mountPath,
        PGHOST: db.host,
        PGPORT: String(POSTGRES_PORT),
        PGUSER: db.user,
        PGDATABASE: db.database,
        PGPASSWORD: db.password,
      },
      resources: props.resources,
      extraMounts: [scratch],
    });
    const upload = hardenedContainer({
      name: 'upload',
      image: store.image,
      command: ['sh', '-c', uploadScript(props.keepDays)],
      env: { ...rcloneEnv(store, backupPrefix(store, chart.platform, id)), BACKUP_DIR: scratch.mountPath },
      resources: props.resources,
      extraMounts: [{ ...scratch, readOnly: true }],
    });
    const storageClassName = props.storage.storageClass ?? chart.env.storageClass;
    // The dump's volume lives as long as the Job's pod (a generic ephemeral volume from the
    // env's StorageClass): big enough for a dump that would not fit a node's disk, and gone
    // with the pod, so nothing of a backup stays in the namespace.
    const scratchVolume: k8s.Volume = {
      name: scratch.name,
      ephemeral: {
        volumeClaimTemplate: {
          metadata: { labels: chart.commonLabels(id, 'backup') },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(props.storage.size) } },
          },
        },
      },
    };

    new k8s.KubeCronJob(this, 'Resource', {
      metadata: chart.metadata(id, { component: 'backup' }),
      spec: {
        schedule,
        timeZone: zone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        // A finished pod keeps its dump volume until the Job is deleted: keep one of each.
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: { labels: chart.commonLabels(id, 'backup') },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3 * 3600,
            template: {
              metadata: { labels: chart.commonLabels(id, 'backup') },
              spec: hardenedPodSpec({
                initContainers: [dump.container],
                containers: [upload.container],
                // Both containers write only to /tmp: one emptyDir of that name serves each.
                volumes: [...dump.volumes, scratchVolume],
                user: db.uid,
                restartPolicy: 'Never',
              }),
            },
          },
        },
      },
    });

    const network = new NetworkPeer(this, 'network', chart, id, chart.selectorLabels(id));
    network.connectTo(db.peer, db.connectPorts);
    network.allowExternal([objectStorageEgress(store)]);
  }
}
