import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { EnvVars, SecretKey } from './config';
import { Resources, StorageProfile } from './environment';
import { NetworkPeer } from './network';
import { HealthCheck, hardenedContainer, hardenedPodSpec, WritablePath } from './pod';
import { PlatformChart } from './platform-chart';

/** Input of {@link renderStatefulService}: one stateful pod behind a Service. */
export interface StatefulInput {
  readonly name: string;
  readonly component: string;
  readonly image: string;
  readonly port: { readonly name: string; readonly number: number };
  readonly resources: Resources;
  readonly env: EnvVars;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly health: HealthCheck;
  readonly user: number;
  readonly writable: readonly (string | WritablePath)[];
  /**
   * A key of a Secret mounted read-only as the file `<mountPath>/<file>`, readable by the pod's
   * group only (mode 0440, group `user`).
   */
  readonly secretFile?: { readonly name: string; readonly mountPath: string; readonly file: string; readonly secret: SecretKey };
  /** Persistent volume: mount path and size; without it the data folder is an emptyDir. */
  readonly data: { readonly mountPath: string; readonly storage?: StorageProfile };
}

/**
 * A one-replica StatefulSet with a PVC template (or an emptyDir) and its headless Service,
 * hardened like every other pod, with a startup probe that gives crash recovery or a first
 * start up to five minutes before liveness applies; returns the network peer. Shared by {@link Postgres} and {@link Redis}.
 */
export function renderStatefulService(scope: Construct, s: StatefulInput): NetworkPeer {
  const chart = PlatformChart.of(scope);
  const selector = chart.selectorLabels(s.name);
  const persistent = s.data.storage !== undefined;
  const { container, volumes } = hardenedContainer({
    name: s.name,
    image: s.image,
    command: s.command,
    args: s.args,
    ports: [{ name: s.port.name, containerPort: s.port.number }],
    env: s.env,
    resources: s.resources,
    readiness: s.health,
    liveness: s.health,
    startup: s.health,
    writable: persistent ? s.writable : [...s.writable, s.data.mountPath],
    extraMounts: [
      ...(persistent ? [{ name: 'data', mountPath: s.data.mountPath }] : []),
      ...(s.secretFile ? [{ name: s.secretFile.name, mountPath: s.secretFile.mountPath, readOnly: true }] : []),
    ],
  });
  if (s.secretFile) {
    const { name, file, secret } = s.secretFile;
    volumes.push({ name, secret: { secretName: secret.secretName, items: [{ key: secret.key, path: file }], defaultMode: 0o440 } });
  }
  const storageClassName = s.data.storage?.storageClass ?? chart.env.storageClass;

  new k8s.KubeStatefulSet(scope, 'Resource', {
    metadata: chart.metadata(s.name, { component: s.component }),
    spec: {
      serviceName: s.name,
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: chart.commonLabels(s.name, s.component) },
        spec: hardenedPodSpec({ containers: [container], volumes, user: s.user, terminationGracePeriodSeconds: 60 }),
      },
      volumeClaimTemplates: s.data.storage
        ? [
            {
              metadata: { name: 'data', labels: chart.commonLabels(s.name, s.component) },
              spec: {
                accessModes: ['ReadWriteOnce'],
                storageClassName,
                resources: { requests: { storage: k8s.Quantity.fromString(s.data.storage.size) } },
              },
            },
          ]
        : undefined,
    },
  });

  new k8s.KubeService(scope, 'service', {
    metadata: chart.metadata(s.name, { component: s.component }),
    spec: {
      type: 'ClusterIP',
      clusterIp: 'None', // headless: the StatefulSet's governing Service, per-pod DNS, no proxying
      selector,
      ports: [{ name: s.port.name, port: s.port.number, targetPort: k8s.IntOrString.fromString(s.port.name), protocol: 'TCP' }],
    },
  });

  return new NetworkPeer(scope, 'network', chart, s.name, selector);
}
