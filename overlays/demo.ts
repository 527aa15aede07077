import type { Overlay } from '../charts/types';
import { releases } from './releases';

/**
 * demo: staging, fed by merges from main into the demo branch. Pinned release candidates,
 * production-like shape at a smaller size, test API keys in its own Secrets.
 */
export const demo: Overlay = {
  env: {
    name: 'demo',
    production: false,
    ingress: {
      className: 'nginx',
      controllerNamespace: 'ingress-nginx',
      tlsIssuer: { name: 'letsencrypt-prod' },
      // Sign-in for authenticated routes: each platform that has one runs an oauth2-proxy
      // (SignInProxy) against this identity provider. Per-cluster settings, like apiServerCidrs:
      // the issuer and who may sign in are placeholders to replace with the cluster's own, and the
      // Secret must hold the IdP client registered for https://<host>/oauth2/callback (README, Sign-in).
      auth: {
        issuerUrl: 'https://login.example.com/realms/trading-demo',
        emailDomains: ['example.com'],
        image: 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.4',
        credentials: { secret: 'oauth2-proxy-demo' },
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
      },
    },
    timeZone: 'UTC',
    // The cluster's API server endpoints, the only address the restart CronJobs may reach
    // (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes).
    apiServerCidrs: ['10.0.0.2/32', '10.0.0.3/32', '10.0.0.4/32'],
    // Backups leave the cluster: dumps and volume archives go to this bucket, under <prefix>/<platform>/<job>/.
    objectStorage: {
      endpoint: 'https://s3.eu-central-1.amazonaws.com',
      region: 'eu-central-1',
      bucket: 'trading-platform-backups-demo',
      prefix: 'demo',
      credentials: { secret: 'backup-storage-demo' },
      image: 'rclone/rclone:1.68.2',
    },
    externalSecrets: { store: { kind: 'ClusterSecretStore', name: 'vault-demo' }, path: 'trading/demo' },
    argocd: { repoURL: 'https://git.example.com/platform/trading-platform-manifests.git', targetRevision: 'demo', root: { project: 'demo-apps', autoSync: true } },
    monitoring: {
      namespace: 'monitoring',
      podLabels: { 'app.kubernetes.io/name': 'prometheus' },
      serviceMonitorLabels: { release: 'kube-prometheus-stack' },
      prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
      prometheusPort: 9090,
    },
  },
  peripheral: {
    host: 'demo.peripheral.internal',
    budget: { cpu: '3', memory: '12Gi', storage: '50Gi', pods: 20 },
    images: releases.demo['peripheral'],
    backend: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } } },
    frontend: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
    worker: { autoscale: { minReplicas: 2, maxReplicas: 4 }, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
    db: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } }, storage: { size: '20Gi' } },
    cache: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
    backup: { keepDays: 7, storage: { size: '20Gi' } },
    secrets: { db: 'peripheral-db-demo', cache: 'peripheral-cache-demo', app: 'peripheral-app-demo' },
    settings: {
      environment: 'staging',
      logLevel: 'info',
      features: { strategyMarketplace: true, aiInsights: true },
      smtp: { host: 'smtp.example.com', port: 587, user: 'no-reply@example.com', from: 'Peripheral Demo <no-reply@example.com>' },
    },
  },
  tradebot: {
    host: 'demo.tradebot.internal',
    budget: { cpu: '3', memory: '12Gi', storage: '60Gi', pods: 20 },
    images: releases.demo['tradebot'],
    backend: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } } },
    frontend: { replicas: 1, resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } } },
    worker: { autoscale: { minReplicas: 2, maxReplicas: 4 }, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
    beat: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
    db: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } }, storage: { size: '20Gi' } },
    cache: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }, storage: { size: '5Gi' } },
    backup: { keepDays: 7, storage: { size: '20Gi' } },
    secrets: { db: 'tradebot-db-demo', cache: 'tradebot-cache-demo', app: 'tradebot-app-demo' },
    logLevel: 'INFO',
  },
  breakoutBot: {
    host: 'demo.breakout-bot.internal',
    budget: { cpu: '1', memory: '4Gi', storage: '30Gi', pods: 10 },
    images: releases.demo['breakout-bot'],
    api: { resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
    frontend: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } } },
    cache: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
    grafana: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } }, storage: { size: '5Gi' } },
    volumes: { data: { size: '5Gi' }, logs: { size: '5Gi' }, reports: { size: '5Gi' } },
    dataBackups: { keep: 7, storage: { size: '5Gi' } },
    secrets: { exchange: 'breakout-bot-exchange-demo', cache: 'breakout-bot-cache-demo', grafana: 'breakout-bot-grafana-demo' },
    tradingMode: 'paper',
    logLevel: 'INFO',
  },
  signals: {
    host: 'demo.signals.internal',
    budget: { cpu: '1', memory: '6Gi', storage: '1Gi', pods: 5 },
    images: releases.demo['signals'],
    app: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '4Gi' } } },
    restartSchedule: '0 0 * * *',
    settings: { LOG_LEVEL: 'info' },
    secret: { name: 'signals-app-demo', keys: ['OPENAI_API_KEY', 'TELEGRAM_BOT_TOKEN'] },
  },
};
