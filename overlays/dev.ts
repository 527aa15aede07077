import type { Overlay } from '../charts/types';
import { releases } from './releases';

/**
 * dev: follows the main branch. Images are tagged `main` (or a commit SHA), one replica each,
 * small resources, certificates from Let's Encrypt's staging issuer.
 */
export const dev: Overlay = {
  env: {
    name: 'dev',
    production: false,
    requirePinnedImages: false,
    ingress: {
      className: 'nginx',
      controllerNamespace: 'ingress-nginx',
      tlsIssuer: { name: 'letsencrypt-staging' },
      // Sign-in for authenticated routes: each platform that has one runs an oauth2-proxy
      // (SignInProxy) against this identity provider. Per-cluster settings, like apiServerCidrs:
      // the issuer and who may sign in are placeholders to replace with the cluster's own, and the
      // Secret must hold the IdP client registered for https://<host>/oauth2/callback (README, Sign-in).
      auth: {
        issuerUrl: 'https://login.example.com/realms/trading-dev',
        emailDomains: ['example.com'],
        image: 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.4',
        credentials: { secret: 'oauth2-proxy' },
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
      bucket: 'trading-platform-backups-dev',
      prefix: 'dev',
      credentials: { secret: 'backup-storage' },
      image: 'rclone/rclone:1.68.2',
    },
    argocd: { repoURL: 'https://git.example.com/platform/trading-platform-manifests.git', targetRevision: 'main', root: { project: 'dev-apps', autoSync: true } },
    monitoring: {
      namespace: 'monitoring',
      podLabels: { 'app.kubernetes.io/name': 'prometheus' },
      serviceMonitorLabels: { release: 'kube-prometheus-stack' },
      prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
      prometheusPort: 9090,
    },
  },
  peripheral: {
    host: 'dev.peripheral.internal',
    budget: { cpu: '1', memory: '6Gi', storage: '20Gi', pods: 20 },
    images: releases.dev['peripheral'],
    backend: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } } },
    frontend: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } } },
    worker: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } } },
    db: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } }, storage: { size: '5Gi' } },
    cache: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } },
    backup: { keepDays: 3, storage: { size: '5Gi' } },
    secrets: { db: 'peripheral-db', cache: 'peripheral-cache', app: 'peripheral-app' },
    settings: {
      environment: 'development',
      logLevel: 'debug',
      features: { strategyMarketplace: true, aiInsights: true },
      smtp: { host: 'smtp.example.com', port: 587, user: 'no-reply@example.com', from: 'Peripheral Dev <no-reply@example.com>' },
    },
  },
  tradebot: {
    host: 'dev.tradebot.internal',
    budget: { cpu: '1500m', memory: '8Gi', storage: '20Gi', pods: 20 },
    images: releases.dev['tradebot'],
    backend: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } } },
    frontend: { replicas: 1, resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } } },
    worker: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } } },
    beat: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
    db: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } }, storage: { size: '5Gi' } },
    cache: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } }, storage: { size: '2Gi' } },
    backup: { keepDays: 3, storage: { size: '5Gi' } },
    secrets: { db: 'tradebot-db', cache: 'tradebot-cache', app: 'tradebot-app' },
    logLevel: 'DEBUG',
    pgadmin: {
      image: 'dpage/pgadmin4:8.12',
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      email: 'dev@tradebot.internal',
      secret: 'tradebot-pgadmin',
    },
  },
  breakoutBot: {
    host: 'dev.breakout-bot.internal',
    budget: { cpu: '1', memory: '4Gi', storage: '10Gi', pods: 10 },
    images: releases.dev['breakout-bot'],
    api: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } } },
    frontend: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } } },
    cache: { resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } },
    grafana: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } }, storage: { size: '1Gi' } },
    volumes: { data: { size: '2Gi' }, logs: { size: '1Gi' }, reports: { size: '1Gi' } },
    dataBackups: { keep: 3, storage: { size: '2Gi' } },
    secrets: { exchange: 'breakout-bot-exchange', cache: 'breakout-bot-cache', grafana: 'breakout-bot-grafana' },
    tradingMode: 'paper',
    logLevel: 'DEBUG',
  },
  signals: {
    host: 'dev.signals.internal',
    budget: { cpu: '500m', memory: '6Gi', storage: '1Gi', pods: 5 },
    images: releases.dev['signals'],
    app: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '4Gi' } } },
    restartSchedule: '0 0 * * *',
    settings: { LOG_LEVEL: 'debug' },
    secret: { name: 'signals-app', keys: ['OPENAI_API_KEY', 'TELEGRAM_BOT_TOKEN'] },
  },
};
