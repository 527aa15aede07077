import * as z from 'zod/mini';
import { budgetSchema, list, names, strict, workloadProfileSchema } from '../../src';

/** The images of Signals: its release file entry. */
export const signalsImages = strict({
  /** The Node.js backend, which also serves the built frontend apps. */
  app: z.string(),
  /** An image with kubectl, for the nightly restart. */
  kubectl: z.string(),
});

/** What the Signals chart needs from each env's overlay; synth checks every overlay against it. */
export const signalsSettings = strict({
  /** Public host of the apps, the API and the WebSocket. */
  host: z.string(),
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  budget: budgetSchema,
  images: signalsImages,
  /** The one backend process (PM2 ran a single instance); the seed's limit is 4 GiB of memory. */
  app: workloadProfileSchema,
  /** When the backend restarts every day (the seed restarted it at midnight), in the env's time zone. */
  restartSchedule: z.string(),
  /** Non-secret settings from the seed's `.env`, rendered into the `settings` ConfigMap. */
  settings: names(z.string()),
  /** Secret holding the credentials of the seed's `.env`, and the keys the backend reads from it. */
  secret: strict({ name: z.string(), keys: list(z.string()) }),
});
/** What the Signals chart needs from each env's overlay. */
export type SignalsSettings = z.infer<typeof signalsSettings>;
