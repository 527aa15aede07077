/** Policy rules of operations: availability in production, singletons, and how Jobs and CronJobs run. */
import { cronSchedule, timeZone } from '../checks';
import { SINGLETON_ANNOTATION } from '../documents';
import { podIndex, Rule } from './rule';


/** Availability, singletons, Jobs and CronJobs. */
export const OPERATIONS_RULES: readonly Rule[] = [
  {
    id: 'prod-budget',
    kinds: ['Deployment'],
    rationale: 'in production a node drain must never take every replica of a service at once',
    fix: 'run more than one replica through the workload, which then renders its budget',
    check: (ctx) => {
      if (!ctx.env.production) return [];
      const pods = podIndex(ctx);
      const budgeted = new Set(ctx.objects.filter((o) => o.doc.kind === 'PodDisruptionBudget').flatMap((o) => pods.select(o.doc.spec?.selector?.matchLabels)));
      // Most replicas each Deployment can run: its autoscaler's maximum, else its fixed count.
      const most = new Map(ctx.objects.filter((o) => o.doc.kind === 'HorizontalPodAutoscaler').map((o) => [o.doc.spec?.scaleTargetRef?.name, o.doc.spec?.maxReplicas ?? 1]));
      return ctx.objects
        .filter((o) => o.doc.kind === 'Deployment' && (most.get(o.doc.metadata.name) ?? o.doc.spec?.replicas ?? 1) > 1 && !budgeted.has(o))
        .map((o) => ({ object: o, message: 'runs several replicas in production without a PodDisruptionBudget' }));
    },
  },
  {
    id: 'singleton',
    kinds: ['Deployment', 'StatefulSet'],
    rationale: 'a singleton (trading engine, scheduler) that runs twice acts twice: duplicate orders, duplicate periodic runs',
    fix: 'render a Singleton: a StatefulSet of exactly 1 replica, with no autoscaler or budget',
    check: (ctx) => {
      const autoscaled = new Set(ctx.objects.filter((o) => o.doc.kind === 'HorizontalPodAutoscaler').map((o) => `${o.doc.spec?.scaleTargetRef?.kind}/${o.doc.spec?.scaleTargetRef?.name}`));
      return ctx.objects
        .filter((o) => (o.doc.kind === 'Deployment' || o.doc.kind === 'StatefulSet') && o.doc.metadata?.annotations?.[SINGLETON_ANNOTATION] === 'true')
        .flatMap((o) => [
          ...(o.doc.kind === 'Deployment' ? [{ object: o, message: 'is a Deployment, which starts a replacement while the old pod may still run (an unreachable node); a singleton is a StatefulSet' }] : []),
          ...(o.doc.spec?.replicas !== 1 ? [{ object: o, message: `has replicas ${JSON.stringify(o.doc.spec?.replicas)}; a singleton runs exactly 1` }] : []),
          ...(autoscaled.has(`${o.doc.kind}/${o.doc.metadata.name}`) ? [{ object: o, message: 'is targeted by an autoscaler' }] : []),
        ]);
    },
  },
  {
    id: 'cronjob-no-overlap',
    kinds: ['CronJob'],
    rationale: 'overlapping runs of a backup or restart job compete for the same volume or target',
    fix: 'set concurrencyPolicy: Forbid (the library\'s CronJobs do)',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'CronJob' && o.doc.spec?.concurrencyPolicy !== 'Forbid')
        .map((o) => ({ object: o, message: `has concurrencyPolicy ${JSON.stringify(o.doc.spec?.concurrencyPolicy ?? 'Allow')}` })),
  },
  {
    id: 'no-job-ttl',
    kinds: ['Job'],
    rationale: 'a Job that Argo CD manages and that deletes itself (ttlSecondsAfterFinished) leaves the app OutOfSync forever',
    fix: 'remove ttlSecondsAfterFinished; clean up hooks with a hook delete policy',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'Job' && o.doc.spec?.ttlSecondsAfterFinished !== undefined && !o.doc.metadata?.annotations?.['argocd.argoproj.io/hook'])
        .map((o) => ({ object: o, message: `sets ttlSecondsAfterFinished: ${o.doc.spec.ttlSecondsAfterFinished}` })),
  },
  {
    id: 'cronjob-time-zone',
    kinds: ['CronJob'],
    rationale: 'a schedule read in the controller\'s own time zone moves with the cluster; CRON_TZ= in a schedule is rejected since Kubernetes 1.27',
    fix: 'set timeZone to an IANA name and keep the schedule to five fields',
    check: (ctx) =>
      ctx.objects
        .filter((o) => o.doc.kind === 'CronJob')
        .flatMap((o) => {
          const zone = o.doc.spec?.timeZone;
          const z = zone === undefined ? 'is missing' : timeZone(zone);
          const s = cronSchedule(o.doc.spec?.schedule);
          return [...(z ? [{ object: o, message: `timeZone ${z}` }] : []), ...(s ? [{ object: o, message: `schedule ${s}` }] : [])];
        }),
  },
];
