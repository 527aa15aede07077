/**
 * Where something outside the platform is on the network, as an env says it in its settings: a
 * schema and the type inferred from it, shared by the settings that name such a destination (the
 * object storage, the sign-in's identity provider). The workloads render it as an `Egress`.
 */
import * as z from 'zod/mini';
import { labels, list, strict } from './schema/shape';

/**
 * Address ranges (an `ExternalEgress`) or pods of a namespace of the cluster (a `ClusterEgress`),
 * each with what it reaches and on which ports.
 */
export const egressSettingsSchema = z.union([
  strict({
    /** What it reaches, e.g. `object storage (MinIO)`; rendered as an annotation on the policy. */
    description: z.string(),
    /** Destination TCP ports. */
    ports: list(z.number()),
    /**
     * Destination address ranges.
     * @default - the public internet, nothing private
     */
    cidrs: z.optional(list(z.string())),
  }),
  strict({
    /** What it reaches; rendered as an annotation on the policy. */
    description: z.string(),
    /** Destination TCP ports (pod ports). */
    ports: list(z.number()),
    /** Namespace of the destination pods. */
    namespace: z.string(),
    /**
     * Labels of the destination pods.
     * @default - every pod of `namespace`
     */
    podLabels: z.optional(labels),
  }),
]);
/** Where something outside the platform is on the network (see {@link egressSettingsSchema}). */
export type EgressSettings = z.infer<typeof egressSettingsSchema>;
