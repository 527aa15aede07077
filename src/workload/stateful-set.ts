import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { SINGLETON_ANNOTATION } from '../documents';
import { hardenedPodSpec } from '../pod';
import { PlatformChart } from '../platform-chart';
import { WAIVER_PREFIX } from '../policy/waiver';
import { WorkloadPod } from './container';
import { Shape, WorkloadOptions } from './options';

/**
 * A singleton's StatefulSet of one replica: the controller creates `<name>-0` only once the old
 * `<name>-0` is gone from the API, so an update, an eviction or a node that stops answering never
 * runs two pods at once (a Deployment starts the replacement as soon as the old pod is marked for
 * deletion, while it may still run). The pod mounts the singleton's PVCs by name, as the Deployment
 * did: claim templates would make new, empty claims (`<template>-<name>-0`) and leave the data
 * behind, and they can never change afterwards. Claims are kept when the StatefulSet goes.
 */
export function renderSingletonSet(scope: Construct, id: string, props: WorkloadOptions, shape: Shape, pod: WorkloadPod): void {
  const chart = PlatformChart.of(scope);
  const { ports } = pod;
  new k8s.KubeStatefulSet(scope, 'Resource', {
    metadata: chart.metadata(id, {
      component: shape.component,
      annotations: {
        [SINGLETON_ANNOTATION]: 'true',
        ...(props.writableRoot ? { [`${WAIVER_PREFIX}read-only-root`]: props.writableRoot.reason } : {}),
      },
    }),
    spec: {
      replicas: 1,
      serviceName: id,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 5,
      selector: { matchLabels: chart.selectorLabels(id) },
      template: {
        metadata: { labels: { ...chart.commonLabels(id, shape.component) } },
        spec: hardenedPodSpec({
          initContainers: pod.backups.map((b) => b.container),
          containers: [pod.container],
          volumes: pod.volumes,
          user: props.user,
          terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          unprivilegedPortStart: ports.some((p) => p.containerPort < 1024) ? Math.min(...ports.map((p) => p.containerPort)) : undefined,
        }),
      },
    },
  });
}
