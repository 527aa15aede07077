/**
 * Policy rules of access: what a pod may reach (no private, link-local or metadata address
 * unless the env names it or a waiver says why) and which pods hold an API token.
 */
import { WORKLOAD_KINDS as PODS } from '../documents';
import { specialRangesReached } from '../ipv4';
import { Rule, workloads } from './rule';

/** Network access and API credentials. */
export const ACCESS_RULES: readonly Rule[] = [
  {
    id: 'egress-internal',
    kinds: ['NetworkPolicy'],
    rationale: 'an egress range that reaches a private, shared, loopback or link-local address opens the nodes, the cloud metadata endpoint (169.254.169.254) and every other network the cluster can route to',
    fix: 'declare cluster peers with `uses` or a namespace egress, narrow the range to public addresses, or waive(scope, \'egress-internal\', reason) on the workload',
    check: (ctx) => {
      // What the env itself names: its API server and extra DNS addresses.
      const named = new Set([...(ctx.env.apiServerCidrs ?? []), ...(ctx.env.dns?.cidrs ?? [])]);
      return ctx.objects
        .filter((o) => o.doc.kind === 'NetworkPolicy')
        .flatMap((o) =>
          (o.doc.spec?.egress ?? []).flatMap((rule: any) =>
            (rule.to ?? [])
              .filter((peer: any) => peer.ipBlock && !(named.has(peer.ipBlock.cidr) && !peer.ipBlock.except))
              .flatMap((peer: any) => {
                const reached = specialRangesReached(String(peer.ipBlock.cidr), peer.ipBlock.except ?? [], (s) => s.internal);
                if (reached.length === 0) return [];
                const ports = (rule.ports ?? []).map((p: any) => p.port).join(',') || 'every port';
                const what = reached.map((s) => `${s.cidr} (${s.name}, ${s.rfc})`).join(', ');
                return [{ object: o, message: `egress to ${peer.ipBlock.cidr}${peer.ipBlock.except ? ` except ${peer.ipBlock.except.length} ranges` : ''} on ${ports} reaches ${what}` }];
              }),
          ),
        );
    },
  },
  {
    id: 'token-automount',
    kinds: PODS,
    rationale: 'a pod that mounts the default ServiceAccount\'s token hands whoever breaks into it an API credential nobody reviewed',
    fix: 'leave automountServiceAccountToken false; a pod that calls the API runs under its own ServiceAccount and Role (as ScheduledRestart does)',
    check: (ctx) =>
      workloads(ctx)
        .filter(({ spec }) => spec.automountServiceAccountToken !== false && (spec.serviceAccountName ?? 'default') === 'default')
        .map(({ o, spec }) => ({
          object: o,
          message: `mounts the default ServiceAccount's API token (automountServiceAccountToken: ${JSON.stringify(spec.automountServiceAccountToken ?? 'unset, which mounts it')})`,
        })),
  },
];
