import { Construct } from 'constructs';
import {
  AppConfig,
  BackupCronJob,
  Environment,
  httpsEgress,
  JOB_RESOURCES,
  MigrationJob,
  PlatformChart,
  Postgres,
  POSTGRES_PORT,
  PublicIngress,
  Redis,
  REDIS_PORT,
  secretKey,
  WebService,
  Worker,
} from '../../src';
import type { PeripheralSettings } from './settings';

export type { PeripheralSettings } from './settings';


/**
 * Peripheral (seed 004): a Go API with WebSockets, a SvelteKit frontend, a Python strategy
 * worker, TimescaleDB and Redis, deployed from main (dev), demo (staging) and prod.
 *
 * From the seed's docker-compose and `config/deploy/` to Kubernetes:
 * - the db and cache "Deployments" become StatefulSets with a PVC (db) and passwords from Secrets;
 * - `.env` values become the `settings` ConfigMap (non-secret) and Secret references (the rest);
 * - "run migrations before a release" becomes a migration Job running `./backend migrate`, a sync
 *   hook between the database and the workloads;
 * - the backup CronJob dumps the database nightly to its own PVC;
 * - the load balancer becomes one Ingress: `/` frontend, `/api` and `/ws` backend, TLS from cert-manager;
 * - the worker runs user strategies, so it reaches only the database and the cache: no internet.
 */
export class PeripheralChart extends PlatformChart {
  public constructor(scope: Construct, env: Environment, s: PeripheralSettings) {
    super(scope, 'peripheral', { env, description: 'Peripheral trading platform (seed 004)', budget: s.budget });

    const db = new Postgres(this, 'db', {
      image: s.images.db,
      uid: 70, // the TimescaleDB image is Alpine-based: postgres is uid 70
      resources: s.db.resources,
      storage: s.db.storage,
      password: secretKey(s.secrets.db, 'DB_PASSWORD'),
    });
    const cache = new Redis(this, 'cache', {
      image: s.images.cache,
      resources: s.cache.resources,
      password: secretKey(s.secrets.cache, 'REDIS_PASSWORD'),
    });

    const settings = new AppConfig(this, 'settings', {
      data: {
        VITE_ENVIRONMENT: s.settings.environment,
        LOG_LEVEL: s.settings.logLevel,
        GOOGLE_REDIRECT_URL: `https://${s.host}/auth/google/callback`,
        SMTP_HOST: s.settings.smtp.host,
        SMTP_PORT: String(s.settings.smtp.port),
        SMTP_USER: s.settings.smtp.user,
        EMAIL_FROM_ADDRESS: s.settings.smtp.from,
        ...Object.fromEntries(Object.entries(s.settings.features).map(([k, v]) => [`FEATURE_${k.toUpperCase()}`, String(v)])),
      },
    });

    const dbEnv = {
      DB_HOST: db.host,
      DB_PORT: String(POSTGRES_PORT),
      DB_USER: db.user,
      POSTGRES_DB: db.database,
      DB_PASSWORD: db.password,
    };
    const cacheEnv = { REDIS_HOST: cache.host, REDIS_PORT: String(REDIS_PORT), REDIS_PASSWORD: cache.password };
    const app = (key: string) => secretKey(s.secrets.app, key);

    const backend = new WebService(this, 'backend', {
      image: s.images.backend,
      profile: s.backend,
      port: 5058,
      healthPath: '/api/health',
      config: [settings],
      env: {
        ...dbEnv,
        ...cacheEnv,
        JWT_SECRET: app('JWT_SECRET'),
        POLYGON_API_KEY: app('POLYGON_API_KEY'),
        STRIPE_SECRET_KEY: app('STRIPE_SECRET_KEY'),
        GOOGLE_CLIENT_ID: app('GOOGLE_CLIENT_ID'),
        GOOGLE_CLIENT_SECRET: app('GOOGLE_CLIENT_SECRET'),
        SMTP_PASSWORD: app('SMTP_PASSWORD'),
        GEMINI_API_KEY: app('GEMINI_API_KEY'),
        TELEGRAM_BOT_TOKEN: app('TELEGRAM_BOT_TOKEN'),
      },
      uses: [db, cache],
      egress: [
        httpsEgress('market data (Polygon.io)'),
        httpsEgress('payments (Stripe)'),
        httpsEgress('OAuth (Google)'),
        httpsEgress('AI (Gemini)'),
        httpsEgress('alerts (Telegram)'),
        { description: 'email (SMTP submission)', ports: [s.settings.smtp.port] },
      ],
    });

    const frontend = new WebService(this, 'frontend', {
      image: s.images.frontend,
      profile: s.frontend,
      component: 'frontend',
      port: 3000,
      healthPath: '/',
      config: [settings],
      env: { ORIGIN: `https://${s.host}`, BACKEND_URL: `http://backend:5058` },
      uses: [backend], // server-side rendering calls the API inside the cluster
    });

    new Worker(this, 'worker', {
      image: s.images.worker,
      profile: s.worker,
      config: [settings],
      env: { ...dbEnv, ...cacheEnv },
      // The runner touches /tmp/heartbeat after every loop; a stale file means it is stuck.
      health: { exec: ['sh', '-c', 'test -n "$(find /tmp/heartbeat -mmin -2 2>/dev/null)"'] },
      uses: [db, cache],
      // No egress: user strategies must not reach the internet.
    });

    new MigrationJob(this, 'migrate', {
      image: s.images.backend,
      command: ['./backend', 'migrate'],
      resources: JOB_RESOURCES,
      env: dbEnv,
      database: db,
    });

    new BackupCronJob(this, 'db-backup', {
      database: db,
      schedule: s.backup.schedule,
      keepDays: s.backup.keepDays,
      storage: s.backup.storage,
      resources: JOB_RESOURCES,
    });

    new PublicIngress(this, 'web', {
      host: s.host,
      routes: [
        // A public product with its own sign-in (Google OAuth, JWT) in front of its API and socket;
        // no path is a control API or admin UI, and the policy checks their images and paths too.
        { path: '/', service: frontend, access: 'public', control: false },
        { path: '/api', service: backend, access: 'public', control: false },
        { path: '/ws', service: backend, access: 'public', control: false, websocket: true },
      ],
    });
  }
}
