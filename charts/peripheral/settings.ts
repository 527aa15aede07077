import * as z from 'zod/mini';
import { budgetSchema, names, resourcesSchema, storageProfileSchema, strict, workloadProfileSchema } from '../../src';

/** Image of each service: a tag or digest; demo and prod take only pinned ones. Its release file entry. */
export const peripheralImages = strict({
  backend: z.string(),
  frontend: z.string(),
  worker: z.string(),
  db: z.string(),
  cache: z.string(),
});

/**
 * What the Peripheral chart needs from each env's overlay. The overlays import its type, never
 * the chart; synth checks every overlay against it.
 */
export const peripheralSettings = strict({
  /** Public host of the web app, API and WebSocket. */
  host: z.string(),
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  budget: budgetSchema,
  /** Image of each service: a tag or digest; demo and prod take only pinned ones. */
  images: peripheralImages,
  /** Go API: at least 2 replicas in prod. */
  backend: workloadProfileSchema,
  /** SvelteKit server. */
  frontend: workloadProfileSchema,
  /** Python strategy runner: at least 3 replicas in prod, autoscaled on CPU. */
  worker: workloadProfileSchema,
  /** TimescaleDB. */
  db: strict({ resources: resourcesSchema, storage: storageProfileSchema }),
  /** Redis. */
  cache: strict({ resources: resourcesSchema }),
  /** Nightly pg_dump; `schedule` defaults to the chart's nightly time. */
  backup: strict({ schedule: z.optional(z.string()), keepDays: z.number(), storage: storageProfileSchema }),
  /**
   * Names of the Secrets that must exist in the namespace (demo and prod hold different keys:
   * test keys in demo, live keys in prod). Keys are fixed by the chart.
   */
  secrets: strict({
    /** DB_PASSWORD. */
    db: z.string(),
    /** REDIS_PASSWORD. */
    cache: z.string(),
    /** JWT_SECRET and the third-party API keys. */
    app: z.string(),
  }),
  /** Non-secret settings, rendered into the `settings` ConfigMap. */
  settings: strict({
    /** VITE_ENVIRONMENT: development, staging or production. */
    environment: z.enum(['development', 'staging', 'production']),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']),
    /** Feature flags, `FEATURE_<NAME>=true|false`. */
    features: names(z.boolean()),
    smtp: strict({ host: z.string(), port: z.number(), user: z.string(), from: z.string() }),
  }),
});
/** What the Peripheral chart needs from each env's overlay. */
export type PeripheralSettings = z.infer<typeof peripheralSettings>;
