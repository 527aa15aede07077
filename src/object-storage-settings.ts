/**
 * The env's object storage settings: a schema and the type inferred from it (synth checks every
 * overlay against the schema), so the Environment can name them without importing the code that
 * renders them (src/object-storage.ts, which checks the values).
 */
import * as z from 'zod/mini';
import { egressSettingsSchema } from './egress-settings';
import { strict } from './schema/shape';

/**
 * S3-compatible object storage that backups go to: outside every platform namespace, so a
 * pruned or deleted namespace never takes its backups with it.
 *
 * Uploads run in an rclone image. rclone reads its remote from environment variables
 * (`RCLONE_CONFIG_STORE_*`), the access key from the Secret `credentials.secret`: nothing secret
 * is ever in a container's command or args.
 */
export const objectStorageSchema = strict({
  /** Endpoint of the S3 API, `https://` only, e.g. `https://s3.eu-central-1.amazonaws.com`. */
  endpoint: z.string(),
  /** Region requests are signed for, e.g. `eu-central-1` (`us-east-1` for most S3-compatible servers). */
  region: z.string(),
  /** Bucket, which must exist (the jobs never create one). */
  bucket: z.string(),
  /**
   * Key prefix of this env. Objects are `<prefix>/<platform>/<job>/<file>`: a job lists and
   * deletes only under its own folder.
   */
  prefix: z.string(),
  /** The Secret, in each platform's namespace, holding the access key. */
  credentials: strict({
    /** Name of the Secret. */
    secret: z.string(),
    /**
     * Key of the access key id.
     * @default "AWS_ACCESS_KEY_ID"
     */
    accessKeyIdKey: z.optional(z.string()),
    /**
     * Key of the secret access key.
     * @default "AWS_SECRET_ACCESS_KEY"
     */
    secretAccessKeyKey: z.optional(z.string()),
  }),
  /** An rclone image (`rclone/rclone:<version>`), pinned like every other image. */
  image: z.string(),
  /**
   * Where the endpoint is on the network, for the NetworkPolicies of the backup pods: address
   * ranges (an `ExternalEgress`) or pods of a namespace (a `ClusterEgress`, e.g. an in-cluster MinIO).
   * @default - HTTPS (443) to the public internet, nothing private
   */
  egress: z.optional(egressSettingsSchema),
});
/** S3-compatible object storage that backups go to (see {@link objectStorageSchema}). */
export type ObjectStorageSettings = z.infer<typeof objectStorageSchema>;
