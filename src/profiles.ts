/**
 * The profiles a chart takes per env: resources, replicas or autoscaling, storage, and a
 * platform's budget. Schemas, and the types inferred from them (see environment.ts).
 */
import * as z from 'zod/mini';
import { strict } from './schema/shape';

/** A platform's budget in one env: the ResourceQuota of its namespace, and the capacity synth checks. */
export const budgetSchema = strict({
  /** Total CPU requests, e.g. `8` or `2500m`. */
  cpu: z.string(),
  /** Total memory limits (requests count against it too), e.g. `16Gi`. */
  memory: z.string(),
  /** Total PVC storage requests, e.g. `500Gi`. */
  storage: z.string(),
  /** Most pods at once. */
  pods: z.number(),
});
/** A platform's budget in one env: the ResourceQuota of its namespace. */
export type Budget = z.infer<typeof budgetSchema>;

/** CPU and memory of one container, in Kubernetes quantities. */
export const resourcesSchema = strict({
  /** What the scheduler reserves. Both are required. */
  requests: strict({
    /** CPU, e.g. `250m`. */
    cpu: z.string(),
    /** Memory, e.g. `512Mi`. */
    memory: z.string(),
  }),
  /**
   * The ceiling. `memory` is required (a leak must not take the node down); `cpu` is optional,
   * since a CPU limit throttles a latency-sensitive process before it helps anyone.
   */
  limits: strict({
    /**
     * CPU ceiling, e.g. `1`.
     * @default - none: the container may use idle CPU of the node
     */
    cpu: z.optional(z.string()),
    /** Memory ceiling, e.g. `1Gi`; the container is killed above it. */
    memory: z.string(),
  }),
});
/** CPU and memory of one container, in Kubernetes quantities. */
export type Resources = z.infer<typeof resourcesSchema>;

/** Horizontal autoscaling on CPU. */
export const autoscaleSchema = strict({
  /** Fewest replicas. At least 1. */
  minReplicas: z.number(),
  /** Most replicas. At least `minReplicas`. */
  maxReplicas: z.number(),
  /**
   * Average CPU utilisation (percent of requests) the autoscaler aims for.
   * @default 70
   */
  cpuUtilization: z.optional(z.number()),
});
/** Horizontal autoscaling on CPU. */
export type Autoscale = z.infer<typeof autoscaleSchema>;

/** How much of one workload runs in an env. */
export const workloadProfileSchema = strict({
  /**
   * Replicas when not autoscaled.
   * @default 1
   */
  replicas: z.optional(z.number()),
  /** CPU and memory of the main container. Required: there is no safe guess. */
  resources: resourcesSchema,
  /**
   * Autoscale on CPU instead of a fixed replica count.
   * @default - fixed `replicas`
   */
  autoscale: z.optional(autoscaleSchema),
});
/** How much of one workload runs in an env. */
export type WorkloadProfile = z.infer<typeof workloadProfileSchema>;

/** A persistent volume of one env. */
export const storageProfileSchema = strict({
  /** Size as a quantity, e.g. `20Gi`. */
  size: z.string(),
  /**
   * StorageClass of the claim.
   * @default - the env's `storageClass`, else the cluster's default
   */
  storageClass: z.optional(z.string()),
});
/** A persistent volume of one env. */
export type StorageProfile = z.infer<typeof storageProfileSchema>;
