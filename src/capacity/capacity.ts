/**
 * What a platform can claim from its namespace, computed from its rendered documents: CPU and
 * memory requests and limits at normal replicas and in the worst case (every autoscaler at its
 * maximum, one surge pod per rolling update, every Job and CronJob running at once), PVC storage
 * and pod counts. Checked against the overlay's budget, which also renders as the namespace's
 * ResourceQuota, so what synth promises is what the cluster enforces.
 */
import type { Budget } from '../profiles';
import { podSpecOf } from '../documents';
import { formatBytes, formatCpu, millicores, quantityValue } from '../quantity';

// A platform's budget in one env: its type is inferred from the input schema.
export type { Budget } from '../profiles';

/** CPU (millicores), memory (bytes), pods. */
export interface Claim {
  cpuRequests: number;
  cpuLimits: number;
  memoryRequests: number;
  memoryLimits: number;
  pods: number;
}

/** One workload's share. */
export interface Contributor {
  readonly object: string;
  /** Pods normally, and at most (autoscaler maximum plus surge, or one run of a job). */
  readonly normalPods: number;
  readonly worstPods: number;
  /** Per pod. */
  readonly perPod: Claim;
  readonly storage: number;
}

/** A platform's totals. */
export interface Capacity {
  readonly normal: Claim;
  readonly worst: Claim;
  readonly storage: number;
  readonly contributors: readonly Contributor[];
}

const zero = (): Claim => ({ cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0, pods: 0 });

/** The effective claim of one pod: init containers run before the others, so each resource is the larger of the biggest init container and the sum of the containers. */
function podClaim(spec: Record<string, any>): Claim {
  const sum = (cs: any[], get: (r: any) => number) => cs.reduce((a, c) => a + get(c.resources ?? {}), 0);
  const max = (cs: any[], get: (r: any) => number) => cs.reduce((a, c) => Math.max(a, get(c.resources ?? {})), 0);
  const containers = spec.containers ?? [];
  const inits = spec.initContainers ?? [];
  const pick = (get: (r: any) => number) => Math.max(sum(containers, get), max(inits, get));
  return {
    cpuRequests: pick((r) => millicores(r.requests?.cpu)),
    cpuLimits: pick((r) => millicores(r.limits?.cpu)),
    memoryRequests: pick((r) => quantityValue(r.requests?.memory)),
    memoryLimits: pick((r) => quantityValue(r.limits?.memory ?? r.requests?.memory)),
    pods: 1,
  };
}

function add(total: Claim, c: Claim, times: number): void {
  total.cpuRequests += c.cpuRequests * times;
  total.cpuLimits += c.cpuLimits * times;
  total.memoryRequests += c.memoryRequests * times;
  total.memoryLimits += c.memoryLimits * times;
  total.pods += c.pods * times;
}

/** The capacity one platform's documents claim. */
export function capacityOf(docs: ReadonlyArray<Record<string, any>>): Capacity {
  const hpaMax = new Map(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => [d.spec?.scaleTargetRef?.name, d.spec]));
  const normal = zero();
  const worst = zero();
  let storage = 0;
  const contributors: Contributor[] = [];
  for (const d of docs) {
    if (d.kind === 'PersistentVolumeClaim') {
      const size = quantityValue(d.spec?.resources?.requests?.storage);
      storage += size;
      contributors.push({ object: `PersistentVolumeClaim/${d.metadata?.name}`, normalPods: 0, worstPods: 0, perPod: zero(), storage: size });
      continue;
    }
    const spec = podSpecOf(d);
    if (!spec) continue;
    const per = podClaim(spec);
    let normalPods = 1;
    let worstPods = 1;
    let claimStorage = 0;
    if (d.kind === 'Deployment') {
      const hpa = hpaMax.get(d.metadata?.name);
      normalPods = hpa ? (hpa.minReplicas ?? 1) : (d.spec?.replicas ?? 1);
      const most = hpa ? hpa.maxReplicas : normalPods;
      const surge = d.spec?.strategy?.type === 'Recreate' ? 0 : Number(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 1) || 1;
      worstPods = most + surge;
    } else if (d.kind === 'StatefulSet') {
      normalPods = worstPods = d.spec?.replicas ?? 1;
      for (const t of d.spec?.volumeClaimTemplates ?? []) claimStorage += quantityValue(t.spec?.resources?.requests?.storage) * normalPods;
      storage += claimStorage;
    } else {
      normalPods = 0; // Jobs and CronJobs run now and then; the worst case counts one run of each at once
      worstPods = d.spec?.parallelism ?? d.spec?.jobTemplate?.spec?.parallelism ?? 1;
    }
    add(normal, per, normalPods);
    add(worst, per, worstPods);
    contributors.push({ object: `${d.kind}/${d.metadata?.name}`, normalPods, worstPods, perPod: per, storage: claimStorage });
  }
  return { normal, worst, storage, contributors };
}

/** Problems of a capacity against a budget: each one line with the figures. */
export function budgetProblems(c: Capacity, b: Budget): string[] {
  const out: string[] = [];
  const cpu = millicores(b.cpu);
  const memory = quantityValue(b.memory);
  const storage = quantityValue(b.storage);
  if (c.worst.cpuRequests > cpu) out.push(`CPU requests reach ${formatCpu(c.worst.cpuRequests)} in the worst case; the budget is ${b.cpu}`);
  if (c.worst.memoryLimits > memory) out.push(`memory limits reach ${formatBytes(c.worst.memoryLimits)} in the worst case; the budget is ${b.memory}`);
  if (c.storage > storage) out.push(`storage requests reach ${formatBytes(c.storage)}; the budget is ${b.storage}`);
  if (c.worst.pods > b.pods) out.push(`pods reach ${c.worst.pods} in the worst case; the budget is ${b.pods}`);
  return out;
}

/** The capacity as a Markdown table, with the biggest contributors first. */
export function capacityTable(c: Capacity, b: Budget | undefined, top = Infinity): string {
  const rows = [
    '| | CPU requests | CPU limits | memory requests | memory limits | pods | storage |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| normal | ${formatCpu(c.normal.cpuRequests)} | ${formatCpu(c.normal.cpuLimits)} | ${formatBytes(c.normal.memoryRequests)} | ${formatBytes(c.normal.memoryLimits)} | ${c.normal.pods} | ${formatBytes(c.storage)} |`,
    `| worst case | ${formatCpu(c.worst.cpuRequests)} | ${formatCpu(c.worst.cpuLimits)} | ${formatBytes(c.worst.memoryRequests)} | ${formatBytes(c.worst.memoryLimits)} | ${c.worst.pods} | ${formatBytes(c.storage)} |`,
    ...(b ? [`| budget (ResourceQuota) | ${b.cpu} | | | ${b.memory} | ${b.pods} | ${b.storage} |`] : []),
  ];
  const byWeight = [...c.contributors].sort(
    (x, y) => y.perPod.memoryLimits * y.worstPods + y.storage - (x.perPod.memoryLimits * x.worstPods + x.storage) || (x.object < y.object ? -1 : 1),
  );
  const contributors = [
    '',
    '| object | pods normal / worst | per pod CPU / memory limit | worst CPU / memory limit | storage |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...byWeight
      .slice(0, top)
      .map(
        (x) =>
          `| ${x.object} | ${x.normalPods} / ${x.worstPods} | ${formatCpu(x.perPod.cpuRequests)} / ${formatBytes(x.perPod.memoryLimits)} | ${formatCpu(x.perPod.cpuRequests * x.worstPods)} / ${formatBytes(x.perPod.memoryLimits * x.worstPods)} | ${x.storage ? formatBytes(x.storage) : ''} |`,
      ),
  ];
  return [...rows, ...contributors].join('\n');
}
