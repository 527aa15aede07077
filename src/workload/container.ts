import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { archiveScript, backupPrefix, rcloneEnv } from '../object-storage';
import type { ObjectStorageSettings } from '../object-storage-settings';
import { hardenedContainer } from '../pod';
import { PersistentVolume, Shape, WorkloadOptions } from './options';

/** A persistent volume with the name of its claim, `<workload>-<name>`. */
export type Claim = PersistentVolume & { readonly claimName: string };

/** The init container that archives one volume before the workload starts, and its scratch volume. */
export interface Backup {
  readonly claim: Claim;
  readonly container: k8s.Container;
  readonly volume: k8s.Volume;
}

/** Where a workload's volume archives go: the env's object storage, under `<prefix>/<platform>/<workload>-<volume>`. */
export interface ArchiveTarget {
  readonly store: ObjectStorageSettings;
  readonly platform: string;
}

/** Everything the pod of a workload holds: its container, the backups before it, and every volume. */
export interface WorkloadPod {
  readonly container: k8s.Container;
  readonly ports: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
  readonly claims: readonly Claim[];
  readonly backups: readonly Backup[];
  readonly volumes: readonly k8s.Volume[];
}

function backupContainer(workload: string, claim: Claim, target: ArchiveTarget): Backup {
  const name = claim.name;
  const scratch = `volume-${name}-archive`;
  const { container } = hardenedContainer({
    name: `backup-${name}`,
    image: target.store.image,
    command: ['sh', '-c', archiveScript(claim.backupOnStart!.keep)],
    env: {
      ...rcloneEnv(target.store, backupPrefix(target.store, target.platform, `${workload}-${name}`)),
      ARCHIVE_NAME: name,
      SCRATCH_DIR: '/archive',
      VOLUME_DIR: claim.mountPath,
    },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    writable: ['/tmp'],
    extraMounts: [
      { name: `volume-${name}`, mountPath: claim.mountPath, readOnly: true },
      { name: scratch, mountPath: '/archive' },
    ],
  });
  return {
    claim,
    container,
    // The archive waits here only until it is uploaded; the script then removes it.
    volume: { name: scratch, emptyDir: { sizeLimit: k8s.Quantity.fromString(claim.backupOnStart!.storage.size) } },
  };
}

/** Assembles the workload's hardened container, its backup init containers and the pod's volumes from checked input. */
export function workloadPod(id: string, props: WorkloadOptions, shape: Shape, target?: ArchiveTarget): WorkloadPod {
  const metricsPort = props.metrics?.port;
  const ports = [
    ...(shape.port !== undefined ? [{ name: 'http', containerPort: shape.port }] : []),
    ...(metricsPort !== undefined ? [{ name: 'metrics', containerPort: metricsPort }] : []),
  ];
  const claims = (shape.volumes ?? []).map((v) => ({ ...v, claimName: `${id}-${v.name}` }));
  const configVolumes = (props.files ?? []).map((f, i) => ({ name: `files-${i}`, path: f.path, configMap: f.config.name }));
  const { container, volumes } = hardenedContainer({
    name: id,
    image: props.image,
    command: props.command,
    args: props.args,
    ports,
    env: props.env,
    config: props.config,
    resources: props.profile.resources,
    readiness: shape.readiness,
    liveness: shape.liveness,
    writable: props.writable,
    writableRoot: props.writableRoot !== undefined,
    netBindService: props.netBindService,
    extraMounts: [
      ...claims.map((c) => ({ name: `volume-${c.name}`, mountPath: c.mountPath })),
      ...configVolumes.map((c) => ({ name: c.name, mountPath: c.path, readOnly: true })),
    ],
  });
  const backups = target ? claims.filter((c) => c.backupOnStart).map((c) => backupContainer(id, c, target)) : [];
  return {
    container,
    ports,
    claims,
    backups,
    volumes: [
      ...volumes,
      ...claims.map((c) => ({ name: `volume-${c.name}`, persistentVolumeClaim: { claimName: c.claimName } })),
      ...backups.map((b) => b.volume),
      ...configVolumes.map((c) => ({ name: c.name, configMap: { name: c.configMap } })),
    ],
  };
}
