import type { Environment } from '@trading-platform/manifests';
import type { QuotesSettings } from '../platform';

export interface Overlay {
  readonly env: Environment;
  readonly quotes: QuotesSettings;
}

const ingress = {
  className: 'nginx',
  controllerNamespace: 'ingress-nginx',
  controllerPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  tlsIssuer: { name: 'letsencrypt' },
};
// The cluster's API server endpoints (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes).
const apiServerCidrs = ['10.0.0.2/32'];
const small = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } };

export const overlays: Record<string, Overlay> = {
  dev: {
    env: { name: 'dev', production: false, requirePinnedImages: false, ingress, apiServerCidrs },
    quotes: {
      host: 'quotes.dev.acme.internal',
      images: { api: 'ghcr.io/acme/quotes-api:main', ingest: 'ghcr.io/acme/quotes-ingest:main', db: 'postgres:16.4' },
      api: { replicas: 1, resources: small },
      ingest: { replicas: 1, resources: small },
      dbSize: '5Gi',
    },
  },
  prod: {
    env: {
      name: 'prod',
      production: true,
      storageClass: 'standard-retain',
      ingress,
      apiServerCidrs,
      // prod runs images by digest; one without is named here, with the reason.
      imageDigestWaivers: { 'postgres:16.4': 'digest not yet recorded: record the digest of the postgres:16.4 tag' },
    },
    quotes: {
      host: 'quotes.acme.com',
      images: {
        api: 'ghcr.io/acme/quotes-api:2.1.0@sha256:6b1f7a0c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccdde',
        ingest: 'ghcr.io/acme/quotes-ingest:2.1.0@sha256:0c9d8e7f6a5b4c3d2e1f00112233445566778899aabbccddeeff001122334455',
        db: 'postgres:16.4',
      },
      api: { autoscale: { minReplicas: 2, maxReplicas: 4 }, resources: small },
      ingest: { replicas: 2, resources: small },
      dbSize: '50Gi',
    },
  },
};
