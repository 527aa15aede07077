/**
 * Policy rules of pod security: Pod Security "restricted", a read-only root, requests and limits,
 * probes. Each judges one pod spec at a time; the testing helpers reuse the same checks.
 */
import { containersOf, Doc, LONG_RUNNING_KINDS, WORKLOAD_KINDS as PODS } from '../documents';
import { Rule, workloads } from './rule';

// Pod Security "restricted" allows only these volume types.
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const LONG_RUNNING = new Set(LONG_RUNNING_KINDS);

/** What makes a pod spec break Pod Security "restricted", one line each; `[]` when nothing. */
export function restrictedProblems(spec: Doc): string[] {
  const out: string[] = [];
  const psc = spec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) out.push(`pod sets ${f}`);
  const podSeccomp = psc.seccompProfile?.type;
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name} is of type ${type}`);
  }
  for (const { c } of containersOf(spec)) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`${c.name} is privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name} does not set allowPrivilegeEscalation: false`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${c.name} does not set runAsNonRoot`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) out.push(`${c.name} runs as uid 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name} has no RuntimeDefault seccomp profile`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`${c.name} does not drop ALL capabilities`);
    const add: string[] = (sc.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
    if (add.length > 0) out.push(`${c.name} adds capabilities ${add.join(', ')}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${c.name} uses hostPort ${p.hostPort}`);
  }
  return out;
}

/** The containers of a pod spec whose root filesystem is writable, one line each. */
export function writableRootProblems(spec: Doc): string[] {
  return containersOf(spec)
    .filter(({ c }) => c.securityContext?.readOnlyRootFilesystem !== true)
    .map(({ c }) => `${c.name} has a writable root filesystem`);
}

/** The containers of a pod spec without cpu and memory requests or a memory limit, one line each. */
export function resourceProblems(spec: Doc): string[] {
  return containersOf(spec).flatMap(({ c }) => {
    const r = c.resources ?? {};
    const missing = [!r.requests?.cpu && 'requests.cpu', !r.requests?.memory && 'requests.memory', !r.limits?.memory && 'limits.memory'].filter(Boolean);
    return missing.length > 0 ? [`${c.name} has no ${missing.join(', ')}`] : [];
  });
}

/** Pod security, read-only root, resources and probes. */
export const POD_SECURITY_RULES: readonly Rule[] = [
  {
    id: 'pss-restricted',
    kinds: PODS,
    rationale: 'every namespace enforces Pod Security "restricted"; a pod that breaks it is refused at admission',
    fix: 'build pods with hardenedPodSpec/hardenedContainer; do not override their securityContext',
    check: (ctx) => workloads(ctx).flatMap(({ o, spec }) => restrictedProblems(spec).map((message) => ({ object: o, message }))),
  },
  {
    id: 'read-only-root',
    kinds: PODS,
    rationale: 'a writable root filesystem lets a compromised process persist tools and change binaries',
    fix: 'mount an emptyDir where the process writes (`writable`), or waive with the reason the image needs it',
    check: (ctx) => workloads(ctx).flatMap(({ o, spec }) => writableRootProblems(spec).map((message) => ({ object: o, message }))),
  },
  {
    id: 'resources',
    kinds: PODS,
    rationale: 'without requests the scheduler overcommits nodes; without a memory limit one leak takes a node down',
    fix: 'state requests (cpu, memory) and limits (memory) in the overlay profile',
    check: (ctx) => workloads(ctx).flatMap(({ o, spec }) => resourceProblems(spec).map((message) => ({ object: o, message }))),
  },
  {
    id: 'probes',
    kinds: LONG_RUNNING_KINDS,
    rationale: 'without readiness a pod takes traffic before it can serve; without liveness a hung process is never restarted',
    fix: 'give the workload a healthPath or health check',
    check: (ctx) =>
      workloads(ctx)
        .filter(({ o }) => LONG_RUNNING.has(o.doc.kind))
        .flatMap(({ o, spec }) =>
          (spec.containers ?? []).flatMap((c: any) => [
            ...(c.readinessProbe ? [] : [{ object: o, message: `${c.name} has no readinessProbe` }]),
            ...(c.livenessProbe ? [] : [{ object: o, message: `${c.name} has no livenessProbe` }]),
          ]),
        ),
  },
];
