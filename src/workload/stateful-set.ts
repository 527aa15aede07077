import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { SINGLETON_ANNOTATION } from '../documents';
import { PlatformChart } from '../platform-chart';
import { WorkloadPod } from './container';
import { Shape, WorkloadOptions } from './options';
import { podTemplate, waiverAnnotations } from './pod-template';

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
  new k8s.KubeStatefulSet(scope, 'Resource', {
    metadata: chart.metadata(id, {
      component: shape.component,
      annotations: {
        [SINGLETON_ANNOTATION]: 'true',
        ...waiverAnnotations(props),
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
      template: podTemplate(chart, id, props, shape, pod),
    },
  });
}
