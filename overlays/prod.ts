import type { Overlay } from '../charts/types';
import { releases } from './releases';

// Why an image of prod runs without a digest (env.imageDigestWaivers).
const THEIR_BUILD = 'digest not yet recorded: the next build of this version is released by digest (npm run release) and promoted through demo';
const THIRD_PARTY = 'digest not yet recorded: a third-party tag; `npm run pin -- prod` records the digests of the release file and prints those of the overlay images to paste as name:tag@sha256:<64 hex>';

/**
 * prod: the prod branch. Only pinned versions or digests, the backend at 2+ replicas behind a
 * PodDisruptionBudget, the worker at 3+ replicas autoscaled on CPU, live keys in its own Secrets.
 */
export const prod: Overlay = {
  env: {
    name: 'prod',
    production: true,
    ingress: {
      className: 'nginx',
      controllerNamespace: 'ingress-nginx',
      controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      tlsIssuer: { name: 'letsencrypt-prod' },
      // Sign-in for authenticated routes: each platform that has one runs an oauth2-proxy
      // (SignInProxy) against this identity provider. Per-cluster settings, like apiServerCidrs:
      // the issuer and who may sign in are placeholders to replace with the cluster's own, and the
      // Secret must hold the IdP client registered for https://<host>/oauth2/callback (README, Sign-in).
      auth: {
        issuerUrl: 'https://login.example.com/realms/trading',
        // Both hold: an address of the company's domain and membership of the operators' group.
        emailDomains: ['example.com'],
        groups: ['trading-operators'],
        image: 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.4',
        credentials: { secret: 'oauth2-proxy-prod' },
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      },
    },
    // Every prod image runs by digest (policy rule image-digest) except these, each with its reason.
    // A waiver names one exact reference: a new tag without a digest fails until it is recorded.
    imageDigestWaivers: {
      // Built by the platforms' pipelines; their digests enter through the release files.
      'docker.io/tripolskypetr/signal-app:1.5.4': THEIR_BUILD,
      'ghcr.io/breakout-bot/breakout-bot-api:0.8.2': THEIR_BUILD,
      'ghcr.io/breakout-bot/breakout-bot-frontend:0.8.2': THEIR_BUILD,
      'ghcr.io/peripheral/peripheral-backend:1.7.3': THEIR_BUILD,
      'ghcr.io/peripheral/peripheral-frontend:1.7.3': THEIR_BUILD,
      'ghcr.io/peripheral/peripheral-worker:1.7.3': THEIR_BUILD,
      'ghcr.io/tradebot/tradebot-backend:2.3.1': THEIR_BUILD,
      'ghcr.io/tradebot/tradebot-frontend:2.3.1': THEIR_BUILD,
      // Third-party images: the tag's digest is not in the release files yet.
      'grafana/grafana:11.3.0': THIRD_PARTY,
      'postgres:16.4': THIRD_PARTY,
      'quay.io/oauth2-proxy/oauth2-proxy:v7.15.4': THIRD_PARTY,
      'rancher/kubectl:v1.27.16': THIRD_PARTY,
      'rclone/rclone:1.68.2': THIRD_PARTY,
      'redis:7.4.1-alpine': THIRD_PARTY,
      'timescale/timescaledb:2.17.2-pg16': THIRD_PARTY,
    },
    storageClass: 'ssd-retain',
    timeZone: 'UTC',
    // The cluster's API server endpoints, the only address the restart CronJobs may reach
    // (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes).
    apiServerCidrs: ['10.0.0.2/32', '10.0.0.3/32', '10.0.0.4/32'],
    // Backups leave the cluster: dumps and volume archives go to this bucket, under <prefix>/<platform>/<job>/.
    objectStorage: {
      endpoint: 'https://s3.eu-central-1.amazonaws.com',
      region: 'eu-central-1',
      bucket: 'trading-platform-backups-prod',
      prefix: 'prod',
      credentials: { secret: 'backup-storage-prod' },
      image: 'rclone/rclone:1.68.2',
    },
    externalSecrets: { store: { kind: 'ClusterSecretStore', name: 'vault-prod' }, path: 'trading/prod' },
    argocd: { repoURL: 'https://git.example.com/platform/trading-platform-manifests.git', targetRevision: 'prod', root: { project: 'prod-apps', autoSync: false } },
    monitoring: {
      namespace: 'monitoring',
      podLabels: { 'app.kubernetes.io/name': 'prometheus' },
      serviceMonitorLabels: { release: 'kube-prometheus-stack' },
      prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
      prometheusPort: 9090,
    },
  },
  peripheral: {
    host: 'app.peripheral.com',
    budget: { cpu: '16', memory: '56Gi', storage: '700Gi', pods: 40 },
    images: releases.prod['peripheral'],
    backend: {
      autoscale: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    },
    frontend: { replicas: 2, resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } } },
    worker: {
      autoscale: { minReplicas: 3, maxReplicas: 12, cpuUtilization: 75 },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
    },
    db: { resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '8Gi' } }, storage: { size: '200Gi' } },
    cache: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    backup: { schedule: '0 3 * * *', keepDays: 14, storage: { size: '400Gi' } },
    secrets: { db: 'peripheral-db-prod', cache: 'peripheral-cache-prod', app: 'peripheral-app-prod' },
    settings: {
      environment: 'production',
      logLevel: 'info',
      features: { strategyMarketplace: true, aiInsights: false },
      smtp: { host: 'smtp.example.com', port: 587, user: 'no-reply@example.com', from: 'Peripheral <no-reply@example.com>' },
    },
  },
  tradebot: {
    host: 'app.tradebot.io',
    budget: { cpu: '12', memory: '48Gi', storage: '260Gi', pods: 40 },
    images: releases.prod['tradebot'],
    backend: { autoscale: { minReplicas: 2, maxReplicas: 6 }, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
    frontend: { replicas: 2, resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } } },
    worker: { autoscale: { minReplicas: 3, maxReplicas: 12 }, resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
    beat: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
    db: { resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } }, storage: { size: '100Gi' } },
    cache: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } }, storage: { size: '20Gi' } },
    backup: { keepDays: 14, storage: { size: '100Gi' } },
    secrets: { db: 'tradebot-db-prod', cache: 'tradebot-cache-prod', app: 'tradebot-app-prod' },
    logLevel: 'INFO',
  },
  breakoutBot: {
    host: 'app.breakout-bot.io',
    budget: { cpu: '2', memory: '8Gi', storage: '120Gi', pods: 10 },
    images: releases.prod['breakout-bot'],
    api: { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
    frontend: { replicas: 2, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
    cache: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    grafana: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } }, storage: { size: '20Gi' } },
    volumes: { data: { size: '20Gi' }, logs: { size: '20Gi' }, reports: { size: '20Gi' } },
    dataBackups: { keep: 14, storage: { size: '20Gi' } },
    secrets: { exchange: 'breakout-bot-exchange-prod', cache: 'breakout-bot-cache-prod', grafana: 'breakout-bot-grafana-prod' },
    tradingMode: 'live',
    logLevel: 'INFO',
  },
  signals: {
    host: 'app.signals.io',
    budget: { cpu: '1', memory: '6Gi', storage: '1Gi', pods: 6 }, // worst case 5: the app, the restart, 2 sign-in pods + 1 surge; one spare for a debug or restore pod
    images: releases.prod['signals'],
    app: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '4Gi' } } },
    restartSchedule: '0 0 * * *',
    settings: { LOG_LEVEL: 'info' },
    secret: { name: 'signals-app-prod', keys: ['OPENAI_API_KEY', 'TELEGRAM_BOT_TOKEN'] },
  },
};
