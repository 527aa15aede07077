import type { Overlay } from '../charts/types';

/**
 * dev: follows the main branch. Images are tagged `main` (or a commit SHA), one replica each,
 * small resources, certificates from Let's Encrypt's staging issuer.
 */
export const dev: Overlay = {
  env: {
    name: 'dev',
    requirePinnedImages: false,
    ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt-staging' } },
    timeZone: 'UTC',
  },
  peripheral: {
    host: 'dev.peripheral.internal',
    images: {
      backend: 'ghcr.io/peripheral/peripheral-backend:main',
      frontend: 'ghcr.io/peripheral/peripheral-frontend:main',
      worker: 'ghcr.io/peripheral/peripheral-worker:main',
      db: 'timescale/timescaledb:2.17.2-pg16',
      cache: 'redis:7.4.1-alpine',
    },
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
};
