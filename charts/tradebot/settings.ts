import * as z from 'zod/mini';
import { budgetSchema, resourcesSchema, storageProfileSchema, strict, workloadProfileSchema } from '../../src';

/** Images: the backend image also runs the Celery worker, beat and the migrations. Its release file entry. */
export const tradeBotImages = strict({
  backend: z.string(),
  frontend: z.string(),
  db: z.string(),
  cache: z.string(),
});

/**
 * What the TradeBot chart needs from each env's overlay. The overlays import its type, never the
 * chart; synth checks every overlay against it.
 */
export const tradeBotSettings = strict({
  /** Public host of the web app and API. */
  host: z.string(),
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  budget: budgetSchema,
  /** Images: the backend image also runs the Celery worker, beat and the migrations. */
  images: tradeBotImages,
  /** FastAPI backend. */
  backend: workloadProfileSchema,
  /** nginx serving the React build. */
  frontend: workloadProfileSchema,
  /** Celery workers: scale out. */
  worker: workloadProfileSchema,
  /** Celery beat: a singleton, its profile may not say more than one replica. */
  beat: workloadProfileSchema,
  /** PostgreSQL. */
  db: strict({ resources: resourcesSchema, storage: storageProfileSchema }),
  /** Redis: cache and Celery broker, persisted (queued tasks survive a restart). */
  cache: strict({ resources: resourcesSchema, storage: storageProfileSchema }),
  /** Nightly pg_dump. */
  backup: strict({ keepDays: z.number(), storage: storageProfileSchema }),
  /** Names of the Secrets in the namespace; keys are fixed by the chart. */
  secrets: strict({
    /** POSTGRES_PASSWORD. */
    db: z.string(),
    /** REDIS_PASSWORD. */
    cache: z.string(),
    /** DATABASE_URL, SECRET_KEY, FERNET_KEY, REDIS_URL, CELERY_BROKER_URL. */
    app: z.string(),
  }),
  /** LOG_LEVEL of the backend and the Celery processes. */
  logLevel: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']),
  /**
   * pgAdmin, for database inspection in dev (the seed's `dev` profile). Leave it out of demo and
   * prod overlays: it then renders nothing there.
   * @default - no pgAdmin
   */
  pgadmin: z.optional(
    strict({
      image: z.string(),
      resources: resourcesSchema,
      /** Login e-mail (PGADMIN_DEFAULT_EMAIL). */
      email: z.string(),
      /** Secret holding PGADMIN_DEFAULT_PASSWORD. */
      secret: z.string(),
    }),
  ),
});
/** What the TradeBot chart needs from each env's overlay. */
export type TradeBotSettings = z.infer<typeof tradeBotSettings>;
