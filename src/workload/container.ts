import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { hardenedContainer } from '../pod';
import { backupScript } from './backup-script';
import { PersistentVolume, Shape, WorkloadOptions } from './options';

/** A persistent volume with the name of its claim, `<workload>-<name>`. */
export type Claim = PersistentVolume & { readonly claimName: string };

/** The init container that archives one volume before the workload starts, and the volume of its archives. */
export interface Backup {
  readonly claim: Claim;
  readonly container: k8s.Container;
  readonly volume: k8s.Volume;
}

/** Everything the pod of a workload holds: its container, the backups before it, and every volume. */
export interface WorkloadPod {
  readonly container: k8s.Container;
  readonly ports: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
  readonly claims: readonly Claim[];
  readonly backups: readonly Backup[];
  readonly volumes: readonly k8s.Volume[];
}

function backupContainer(workload: string, image: string, claim: Claim): Backup {
  const name = claim.name;
  const { container } = hardenedContainer({
    name: `backup-${name}`,
    image,
    command: ['sh', '-c', backupScript(name, claim.mountPath, claim.backupOnStart!.keep)],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    writable: ['/tmp'],
    extraMounts: [
      { name: `volume-${name}`, mountPath: claim.mountPath, readOnly: true },
      { name: `volume-${name}-backups`, mountPath: '/backups' },
    ],
  });
  return {
    claim,
    container,
    volume: { name: `volume-${name}-backups`, persistentVolumeClaim: { claimName: `${workload}-${name}-backups` } },
  };
}

/** Assembles the workload's hardened container, its backup init containers and the pod's volumes from checked input. */
export function workloadPod(id: string, props: WorkloadOptions, shape: Shape): WorkloadPod {
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
  const backups = claims.filter((c) => c.backupOnStart).map((c) => backupContainer(id, props.image, c));
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
