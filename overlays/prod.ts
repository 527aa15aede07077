import type { Overlay } from '../charts/types';

/**
 * prod: the prod branch. Only pinned versions or digests, the backend at 2+ replicas behind a
 * PodDisruptionBudget, the worker at 3+ replicas autoscaled on CPU, live keys in its own Secrets.
 */
export const prod: Overlay = {
  env: {
    name: 'prod',
    ingress: {
      className: 'nginx',
      controllerNamespace: 'ingress-nginx',
      controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      tlsIssuer: { name: 'letsencrypt-prod' },
    },
    storageClass: 'ssd-retain',
    timeZone: 'UTC',
  },
  peripheral: {
    host: 'app.peripheral.com',
    images: {
      backend: 'ghcr.io/peripheral/peripheral-backend:1.7.3',
      frontend: 'ghcr.io/peripheral/peripheral-frontend:1.7.3',
      worker: 'ghcr.io/peripheral/peripheral-worker:1.7.3',
      db: 'timescale/timescaledb:2.17.2-pg16',
      cache: 'redis:7.4.1-alpine',
    },
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
};
