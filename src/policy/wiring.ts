/** Policy rules of wiring: every reference between objects (Service, Ingress, autoscaler, budget, NetworkPolicy) finds its target. */
import { Doc, PodIndex, podSpecOf } from '../documents';
import { podIndex, Rule, servicesByName, workloads } from './rule';

/**
 * What makes a Service with a selector answer nothing, one line each: it selects no pod of
 * `pods`, or a port targets a port no selected container declares. `[]` when nothing.
 */
export function serviceProblems(service: Doc, pods: PodIndex<{ readonly doc: Doc }>): string[] {
  const selected = pods.select(service.spec?.selector);
  if (selected.length === 0) return [`selects no pod (${JSON.stringify(service.spec?.selector)})`];
  const declared = new Set(selected.flatMap((w) => (podSpecOf(w.doc)?.containers ?? []).flatMap((c: any) => (c.ports ?? []).flatMap((p: any) => [p.name, p.containerPort]))));
  return (service.spec?.ports ?? [])
    .filter((p: any) => !declared.has(p.targetPort ?? p.port))
    .map((p: any) => `port ${p.name ?? p.port} targets ${JSON.stringify(p.targetPort ?? p.port)}, which no selected container declares`);
}

/** References between objects. */
export const WIRING_RULES: readonly Rule[] = [
  {
    id: 'service-selects-pods',
    kinds: ['Service'],
    rationale: 'a Service that selects no pod, or targets a port no container declares, answers nothing',
    fix: 'select the workload by its selector labels and target a named container port',
    check: (ctx) => {
      const pods = podIndex(ctx);
      return ctx.objects
        .filter((o) => o.doc.kind === 'Service' && o.doc.spec?.selector)
        .flatMap((o) => serviceProblems(o.doc, pods).map((message) => ({ object: o, message })));
    },
  },
  {
    id: 'ingress-backend',
    kinds: ['Ingress'],
    rationale: 'an Ingress path to a missing Service or port returns 503 to users',
    fix: 'route to a WebService (or Singleton with a port) of the same platform',
    check: (ctx) => {
      const services = servicesByName(ctx);
      return ctx.objects
        .filter((o) => o.doc.kind === 'Ingress')
        .flatMap((o) =>
          (o.doc.spec?.rules ?? []).flatMap((r: any) =>
            (r.http?.paths ?? []).flatMap((p: any) => {
              const b = p.backend?.service;
              const svc = services.get(b?.name)?.doc;
              if (!svc) return [{ object: o, message: `path ${p.path} routes to Service "${b?.name}", which does not exist` }];
              const ports = (svc.spec?.ports ?? []).flatMap((x: any) => [x.port, x.name]);
              const wanted = b.port?.number ?? b.port?.name;
              return ports.includes(wanted) ? [] : [{ object: o, message: `path ${p.path} routes to ${b.name}:${wanted}, which the Service does not expose` }];
            }),
          ),
        );
    },
  },
  {
    id: 'autoscaler-target',
    kinds: ['HorizontalPodAutoscaler'],
    rationale: 'an autoscaler whose target is missing, or that shares replicas with a fixed count, scales nothing or fights the manifest',
    fix: 'let the workload render its own autoscaler from the profile',
    check: (ctx) => {
      const deployments = new Map(ctx.objects.filter((o) => o.doc.kind === 'Deployment').map((o) => [o.doc.metadata.name, o.doc]));
      return ctx.objects
        .filter((o) => o.doc.kind === 'HorizontalPodAutoscaler')
        .flatMap((o) => {
          const ref = o.doc.spec?.scaleTargetRef ?? {};
          const target = ref.kind === 'Deployment' ? deployments.get(ref.name) : undefined;
          if (!target) return [{ object: o, message: `targets ${ref.kind}/${ref.name}, which does not exist` }];
          return target.spec?.replicas !== undefined ? [{ object: o, message: `targets Deployment/${ref.name}, which also fixes replicas: ${target.spec.replicas}` }] : [];
        });
    },
  },
  {
    id: 'budget-target',
    kinds: ['PodDisruptionBudget'],
    rationale: 'a PodDisruptionBudget that selects no pod protects nothing',
    fix: 'let the workload render its own budget',
    check: (ctx) => {
      const pods = podIndex(ctx);
      return ctx.objects
        .filter((o) => o.doc.kind === 'PodDisruptionBudget')
        .filter((o) => pods.select(o.doc.spec?.selector?.matchLabels).length === 0)
        .map((o) => ({ object: o, message: 'selects no pod' }));
    },
  },
  {
    id: 'default-deny',
    kinds: ['Namespace'],
    rationale: 'without a default-deny policy every pod accepts and opens any connection',
    fix: 'build the platform on PlatformChart, which renders default-deny',
    check: (ctx) => {
      if (workloads(ctx).length === 0) return [];
      const deny = ctx.objects.some(
        (o) =>
          o.doc.kind === 'NetworkPolicy' &&
          Object.keys(o.doc.spec?.podSelector ?? {}).length === 0 &&
          ['Ingress', 'Egress'].every((t) => (o.doc.spec?.policyTypes ?? []).includes(t)) &&
          !(o.doc.spec?.ingress?.length) &&
          !(o.doc.spec?.egress?.length),
      );
      const ns = ctx.objects.find((o) => o.doc.kind === 'Namespace') ?? ctx.objects[0];
      return deny ? [] : [{ object: ns, message: `namespace ${ctx.namespace} has workloads but no default-deny NetworkPolicy` }];
    },
  },
];
