import type { Overlay } from '../charts/types';

/**
 * demo: staging, fed by merges from main into the demo branch. Pinned release candidates,
 * production-like shape at a smaller size, test API keys in its own Secrets.
 */
export const demo: Overlay = {
  env: {
    name: 'demo',
    ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt-prod' } },
    timeZone: 'UTC',
  },
  peripheral: {
    host: 'demo.peripheral.internal',
    images: {
      backend: 'ghcr.io/peripheral/peripheral-backend:1.8.0-rc.2',
      frontend: 'ghcr.io/peripheral/peripheral-frontend:1.8.0-rc.2',
      worker: 'ghcr.io/peripheral/peripheral-worker:1.8.0-rc.2',
      db: 'timescale/timescaledb:2.17.2-pg16',
      cache: 'redis:7.4.1-alpine',
    },
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
};
