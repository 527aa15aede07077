import type { Budget, WorkloadProfile } from '../../src';

/** What the Signals chart needs from each env's overlay. Types only. */
export interface SignalsSettings {
  /** Public host of the apps, the API and the WebSocket. */
  readonly host: string;
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  readonly budget: Budget;
  readonly images: {
    /** The Node.js backend, which also serves the built frontend apps. */
    readonly app: string;
    /** An image with kubectl, for the nightly restart. */
    readonly kubectl: string;
  };
  /** The one backend process (PM2 ran a single instance); the seed's limit is 4 GiB of memory. */
  readonly app: WorkloadProfile;
  /** When the backend restarts every day (the seed restarted it at midnight), in the env's time zone. */
  readonly restartSchedule: string;
  /** Non-secret settings from the seed's `.env`, rendered into the `settings` ConfigMap. */
  readonly settings: Readonly<Record<string, string>>;
  /** Secret holding the credentials of the seed's `.env`, and the keys the backend reads from it. */
  readonly secret: { readonly name: string; readonly keys: readonly string[] };
}
