import { Construct } from 'constructs';
import { AppConfig, Environment, httpsEgress, PlatformChart, PublicIngress, Redis, REDIS_PORT, secretKey, Singleton, WebService } from '../../src';
import type { BreakoutBotSettings } from './settings';

export type { BreakoutBotSettings } from './settings';

/**
 * Breakout Bot (seed 002): a FastAPI trading engine with engine-control endpoints, a React UI,
 * Redis, and Prometheus/Grafana monitoring.
 *
 * From the seed's docker-compose, deploy.sh and update.sh to Kubernetes:
 * - `breakout-bot-api` becomes a Singleton: two engines would trade twice. `Recreate` stops the
 *   old engine before the new one starts; no autoscaler, no PodDisruptionBudget (which, at one
 *   replica, could only block node drains). Readiness uses `/api/health`; liveness only checks
 *   that the port answers, because `/api/health` also reports the exchange connection and an
 *   exchange outage must not restart the engine;
 * - the `data`, `logs` and `reports` bind mounts become PVCs owned by that one pod;
 * - deploy.sh's "back up data and logs before every deploy" becomes an archive of `data` taken by
 *   an init container before each new engine pod starts, kept on its own PVC (newest N). It
 *   runs inside the pod, so it needs no second mount of the ReadWriteOnce volume and no Argo CD
 *   hook (a PreSync Job could not mount a volume that the first sync has yet to create, nor share a
 *   ReadWriteOnce volume with a pod on another node);
 * - rollback is a git revert (Argo CD) or re-applying the previous release: the PVCs stay, and
 *   the README shows how to restore an archive;
 * - `prometheus` is not rendered: the cluster's prometheus-operator scrapes the API through a
 *   ServiceMonitor, so retention, alerting and high availability are run once for all platforms
 *   instead of one unmanaged Prometheus per platform;
 * - `grafana` stays in the chart (a Singleton with its own PVC, admin password from a Secret, the
 *   cluster's Prometheus provisioned as data source), served under `/grafana`;
 * - `redis` keeps a password (Secret) and no persistence: it is a cache;
 * - host ports 8000, 3000, 3001 and 9090 become ClusterIP Services behind one TLS Ingress.
 */
export class BreakoutBotChart extends PlatformChart {
  public constructor(scope: Construct, env: Environment, s: BreakoutBotSettings) {
    super(scope, 'breakout-bot', { env, description: 'Breakout Bot: FastAPI breakout trading engine with React UI (seed 002)', budget: s.budget });

    const cache = new Redis(this, 'cache', {
      image: s.images.cache,
      resources: s.cache.resources,
      password: secretKey(s.secrets.cache, 'REDIS_PASSWORD'),
    });
    const settings = new AppConfig(this, 'settings', { data: { TRADING_MODE: s.tradingMode, LOG_LEVEL: s.logLevel } });

    const api = new Singleton(this, 'api', {
      image: s.images.api,
      profile: s.api,
      component: 'trading-engine',
      port: 8000,
      healthPath: '/api/health',
      liveness: { tcp: 8000 },
      metrics: { path: '/metrics' },
      config: [settings],
      env: {
        REDIS_HOST: cache.host,
        REDIS_PORT: String(REDIS_PORT),
        REDIS_PASSWORD: cache.password,
        EXCHANGE_API_KEY: secretKey(s.secrets.exchange, 'EXCHANGE_API_KEY'),
        EXCHANGE_API_SECRET: secretKey(s.secrets.exchange, 'EXCHANGE_API_SECRET'),
      },
      volumes: [
        { name: 'data', mountPath: '/app/data', storage: s.volumes.data, backupOnStart: s.dataBackups },
        { name: 'logs', mountPath: '/app/logs', storage: s.volumes.logs },
        { name: 'reports', mountPath: '/app/reports', storage: s.volumes.reports },
      ],
      uses: [cache],
      egress: [httpsEgress('exchange API')],
      terminationGracePeriodSeconds: 60, // let the engine close its session cleanly
    });

    const frontend = new WebService(this, 'frontend', {
      image: s.images.frontend,
      profile: s.frontend,
      component: 'frontend',
      port: 3000,
      healthPath: '/',
    });

    const monitoring = env.monitoring;
    const datasources = monitoring
      ? new AppConfig(this, 'grafana-datasources', {
          data: {
            'prometheus.yaml': [
              'apiVersion: 1',
              'datasources:',
              '  - name: Prometheus',
              '    type: prometheus',
              '    access: proxy',
              `    url: ${monitoring.prometheusUrl}`,
              '    isDefault: true',
              '',
            ].join('\n'),
          },
        })
      : undefined;
    const grafana = new Singleton(this, 'grafana', {
      image: s.images.grafana,
      profile: { resources: s.grafana.resources },
      component: 'dashboards',
      port: 3000,
      healthPath: '/api/health',
      user: 472, // grafana
      env: {
        GF_SECURITY_ADMIN_USER: 'admin',
        GF_SECURITY_ADMIN_PASSWORD: secretKey(s.secrets.grafana, 'GF_SECURITY_ADMIN_PASSWORD'),
        GF_SERVER_ROOT_URL: `https://${s.host}/grafana/`,
        GF_SERVER_SERVE_FROM_SUB_PATH: 'true',
        GF_LOG_MODE: 'console',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      },
      volumes: [{ name: 'data', mountPath: '/var/lib/grafana', storage: s.grafana.storage }],
      files: datasources ? [{ path: '/etc/grafana/provisioning/datasources', config: datasources }] : [],
      egress: monitoring
        ? [{ description: 'Prometheus (cluster monitoring)', namespace: monitoring.namespace, podLabels: monitoring.podLabels, ports: [monitoring.prometheusPort] }]
        : [],
    });

    new PublicIngress(this, 'web', {
      host: s.host,
      routes: [
        // One sign-in covers the UI and what it calls: the UI's requests to `/api` carry the
        // oauth2-proxy cookie its first load set, so the UI works as before for a signed-in user.
        { path: '/', service: frontend, access: 'authenticated' },
        { path: '/api', service: api, access: 'authenticated', control: true },
        { path: '/grafana', service: grafana, access: 'authenticated', control: true },
      ],
    });
  }
}
