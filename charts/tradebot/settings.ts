import type { Budget, Resources, StorageProfile, WorkloadProfile } from '../../src';

/** What the TradeBot chart needs from each env's overlay. Types only: overlays import this, never the chart. */
export interface TradeBotSettings {
  /** Public host of the web app and API. */
  readonly host: string;
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  readonly budget: Budget;
  /** Images: the backend image also runs the Celery worker, beat and the migrations. */
  readonly images: {
    readonly backend: string;
    readonly frontend: string;
    readonly db: string;
    readonly cache: string;
  };
  /** FastAPI backend. */
  readonly backend: WorkloadProfile;
  /** nginx serving the React build. */
  readonly frontend: WorkloadProfile;
  /** Celery workers: scale out. */
  readonly worker: WorkloadProfile;
  /** Celery beat: a singleton, its profile may not say more than one replica. */
  readonly beat: WorkloadProfile;
  /** PostgreSQL. */
  readonly db: { readonly resources: Resources; readonly storage: StorageProfile };
  /** Redis: cache and Celery broker, persisted (queued tasks survive a restart). */
  readonly cache: { readonly resources: Resources; readonly storage: StorageProfile };
  /** Nightly pg_dump. */
  readonly backup: { readonly keepDays: number; readonly storage: StorageProfile };
  /** Names of the Secrets in the namespace; keys are fixed by the chart. */
  readonly secrets: {
    /** POSTGRES_PASSWORD. */
    readonly db: string;
    /** REDIS_PASSWORD. */
    readonly cache: string;
    /** DATABASE_URL, SECRET_KEY, FERNET_KEY, REDIS_URL, CELERY_BROKER_URL. */
    readonly app: string;
  };
  /** LOG_LEVEL of the backend and the Celery processes. */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  /**
   * pgAdmin, for database inspection in dev (the seed's `dev` profile). Leave it out of demo and
   * prod overlays: it then renders nothing there.
   */
  readonly pgadmin?: {
    readonly image: string;
    readonly resources: Resources;
    /** Login e-mail (PGADMIN_DEFAULT_EMAIL). */
    readonly email: string;
    /** Secret holding PGADMIN_DEFAULT_PASSWORD. */
    readonly secret: string;
  };
}
