import type { Budget, Resources, StorageProfile, WorkloadProfile } from '../../src';

/** What the Peripheral chart needs from each env's overlay. Types only: overlays import this, never the chart. */
export interface PeripheralSettings {
  /** Public host of the web app, API and WebSocket. */
  readonly host: string;
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  readonly budget: Budget;
  /** Image of each service: a tag or digest; demo and prod take only pinned ones. */
  readonly images: {
    readonly backend: string;
    readonly frontend: string;
    readonly worker: string;
    readonly db: string;
    readonly cache: string;
  };
  /** Go API: at least 2 replicas in prod. */
  readonly backend: WorkloadProfile;
  /** SvelteKit server. */
  readonly frontend: WorkloadProfile;
  /** Python strategy runner: at least 3 replicas in prod, autoscaled on CPU. */
  readonly worker: WorkloadProfile;
  /** TimescaleDB. */
  readonly db: { readonly resources: Resources; readonly storage: StorageProfile };
  /** Redis. */
  readonly cache: { readonly resources: Resources };
  /** Nightly pg_dump. */
  readonly backup: { readonly schedule?: string; readonly keepDays: number; readonly storage: StorageProfile };
  /**
   * Names of the Secrets that must exist in the namespace (demo and prod hold different keys:
   * test keys in demo, live keys in prod). Keys are fixed by the chart.
   */
  readonly secrets: {
    /** DB_PASSWORD. */
    readonly db: string;
    /** REDIS_PASSWORD. */
    readonly cache: string;
    /** JWT_SECRET and the third-party API keys. */
    readonly app: string;
  };
  /** Non-secret settings, rendered into the `settings` ConfigMap. */
  readonly settings: {
    /** VITE_ENVIRONMENT: development, staging or production. */
    readonly environment: 'development' | 'staging' | 'production';
    readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
    /** Feature flags, `FEATURE_<NAME>=true|false`. */
    readonly features: Readonly<Record<string, boolean>>;
    readonly smtp: { readonly host: string; readonly port: number; readonly user: string; readonly from: string };
  };
}
