import { Construct } from 'constructs';
import {
  AppConfig,
  BackupCronJob,
  Environment,
  JOB_RESOURCES,
  MigrationJob,
  PlatformChart,
  Postgres,
  PublicIngress,
  Redis,
  secretKey,
  Singleton,
  WebService,
  Worker,
} from '../../src';
import type { TradeBotSettings } from './settings';

export type { TradeBotSettings } from './settings';

const CELERY_APP = 'app.celery_app';

/**
 * TradeBot (seeds 001 and 003): FastAPI backend, React frontend behind nginx, Celery worker and
 * beat, PostgreSQL and Redis, trading on Binance.
 *
 * From the seed's docker-compose to Kubernetes:
 * - `postgres` and `redis` become StatefulSets with PVCs; their compose health checks
 *   (`pg_isready`, `redis-cli ping`) become startup, readiness and liveness probes; Redis keeps its
 *   password (from a Secret) and its append-only file;
 * - `backend` becomes a WebService on 8000 probed on `/health`; the migrations that ran at
 *   backend start (`alembic upgrade head`) become the migration Job, which runs before the new
 *   backend serves;
 * - `celery-worker` becomes a Worker that scales out; `celery-beat` a Singleton, since a second
 *   beat would fire every periodic trade run twice;
 * - `frontend` (nginx serving the React build on 80) keeps its read-only root with emptyDirs for
 *   /var/cache/nginx, /tmp and /var/run; binding port 80 as non-root uses the namespaced sysctl
 *   the library sets for ports below 1024;
 * - the `nginx` reverse proxy (production profile) becomes the Ingress: `/` frontend, `/api/` and
 *   `/health` backend, TLS from cert-manager instead of mounted certificates;
 * - `pgadmin` (dev profile) renders only where the overlay configures it (dev), reachable with
 *   `kubectl port-forward`, never through the Ingress;
 * - compose's open outbound network becomes egress to the exchange (REST on 443, streams on
 *   9443) for the backend and workers only; beat, the databases and the frontend reach nothing outside;
 * - `.env` becomes Secret references (passwords, URLs with credentials, SECRET_KEY, FERNET_KEY)
 *   and the `settings` ConfigMap (LOG_LEVEL);
 * - the `./logs` bind mount is dropped: processes log to stdout for the cluster's log collection;
 * - `no-new-privileges`, `cap_drop: ALL`, read-only root and tmpfs are the library's defaults.
 */
export class TradeBotChart extends PlatformChart {
  public constructor(scope: Construct, env: Environment, s: TradeBotSettings) {
    super(scope, 'tradebot', { env, description: 'TradeBot: FastAPI, Celery and React trading bot (seeds 001, 003)', budget: s.budget });

    const db = new Postgres(this, 'db', {
      image: s.images.db,
      resources: s.db.resources,
      storage: s.db.storage,
      user: 'tradebot',
      database: 'tradebot',
      password: secretKey(s.secrets.db, 'POSTGRES_PASSWORD'),
    });
    const cache = new Redis(this, 'cache', {
      image: s.images.cache,
      resources: s.cache.resources,
      storage: s.cache.storage,
      password: secretKey(s.secrets.cache, 'REDIS_PASSWORD'),
    });
    const settings = new AppConfig(this, 'settings', { data: { LOG_LEVEL: s.logLevel } });

    const app = (key: string) => secretKey(s.secrets.app, key);
    const appEnv = {
      DATABASE_URL: app('DATABASE_URL'),
      SECRET_KEY: app('SECRET_KEY'),
      FERNET_KEY: app('FERNET_KEY'),
      REDIS_URL: app('REDIS_URL'),
      CELERY_BROKER_URL: app('CELERY_BROKER_URL'),
    };
    // REST on 443, market and user-data streams on 9443
    const exchange = { description: 'exchange API and streams (Binance)', ports: [443, 9443] };

    const backend = new WebService(this, 'backend', {
      image: s.images.backend,
      profile: s.backend,
      port: 8000,
      healthPath: '/health',
      config: [settings],
      env: appEnv,
      uses: [db, cache],
      egress: [exchange],
    });

    new Worker(this, 'worker', {
      image: s.images.backend,
      profile: s.worker,
      // Kubernetes expands $(LOG_LEVEL) from the container's env, the settings ConfigMap included.
      command: ['celery', '-A', CELERY_APP, 'worker', '--loglevel=$(LOG_LEVEL)'],
      config: [settings],
      env: appEnv,
      health: { exec: ['sh', '-c', `celery -A ${CELERY_APP} inspect ping --timeout 5 --destination "celery@$HOSTNAME"`], timeoutSeconds: 15 },
      uses: [db, cache],
      egress: [exchange],
      terminationGracePeriodSeconds: 120, // let running tasks finish
    });

    new Singleton(this, 'beat', {
      image: s.images.backend,
      profile: s.beat,
      command: ['celery', '-A', CELERY_APP, 'beat', '--loglevel=$(LOG_LEVEL)', '--schedule=/tmp/celerybeat-schedule', '--pidfile='],
      config: [settings],
      env: appEnv,
      // beat syncs its schedule file every few minutes while it sends tasks, and TradeBot's bot run
      // is due every minute: a file untouched for 10 minutes means beat is stuck
      health: { exec: ['sh', '-c', 'test -n "$(find /tmp -maxdepth 1 -name "celerybeat-schedule*" -mmin -10)"'] },
      uses: [db, cache],
    });

    new MigrationJob(this, 'migrate', {
      image: s.images.backend,
      command: ['alembic', 'upgrade', 'head'],
      resources: JOB_RESOURCES,
      env: { DATABASE_URL: app('DATABASE_URL') },
      database: db,
    });

    new BackupCronJob(this, 'db-backup', {
      database: db,
      keepDays: s.backup.keepDays,
      storage: s.backup.storage,
      resources: JOB_RESOURCES,
    });

    const frontend = new WebService(this, 'frontend', {
      image: s.images.frontend,
      profile: s.frontend,
      component: 'frontend',
      port: 80,
      healthPath: '/',
      user: 101, // nginx
      writable: ['/tmp', '/var/cache/nginx', '/var/run'],
    });

    new PublicIngress(this, 'web', {
      host: s.host,
      routes: [
        // The product's own sign-in (JWT) guards its API, which is no control API or admin UI (the
        // policy checks images and paths too); pgAdmin is never routed (port-forward).
        { path: '/', service: frontend, access: 'public', control: false },
        { path: '/api/', service: backend, access: 'public', control: false },
        { path: '/health', service: backend, access: 'public', control: false, exact: true },
      ],
    });

    if (s.pgadmin) {
      new WebService(this, 'pgadmin', {
        image: s.pgadmin.image,
        profile: { replicas: 1, resources: s.pgadmin.resources },
        component: 'admin',
        port: 5050,
        healthPath: '/misc/ping',
        user: 5050,
        env: {
          PGADMIN_LISTEN_PORT: '5050',
          PGADMIN_DEFAULT_EMAIL: s.pgadmin.email,
          PGADMIN_DEFAULT_PASSWORD: secretKey(s.pgadmin.secret, 'PGADMIN_DEFAULT_PASSWORD'),
          PGADMIN_DISABLE_POSTFIX: 'true',
        },
        writable: ['/tmp', '/var/lib/pgadmin'],
        writableRoot: { reason: 'the pgAdmin entrypoint writes /pgadmin4/config_distro.py at start; dev only' },
        netBindService: true, // its python binary carries cap_net_bind_service as a file capability
        uses: [db],
      });
    }
  }
}
