import { Construct } from 'constructs';
import { Environment, PlatformChart, Postgres, PublicIngress, secretKey, WebService, Worker, WorkloadProfile } from '@trading-platform/manifests';

/** What the quotes platform needs from each env. */
export interface QuotesSettings {
  readonly host: string;
  readonly images: { readonly api: string; readonly ingest: string; readonly db: string };
  readonly api: WorkloadProfile;
  readonly ingest: WorkloadProfile;
  readonly dbSize: string;
}

/** A market-quotes service: an HTTP API, an ingest worker that pulls quotes from a provider, and Postgres. */
export class QuotesChart extends PlatformChart {
  public constructor(scope: Construct, env: Environment, s: QuotesSettings) {
    super(scope, 'quotes', { env, description: 'Quotes: market quotes API and ingest' });
    const db = new Postgres(this, 'db', {
      image: s.images.db,
      storage: { size: s.dbSize },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      password: secretKey('quotes-db', 'POSTGRES_PASSWORD'),
    });
    const api = new WebService(this, 'api', {
      image: s.images.api,
      profile: s.api,
      port: 8080,
      healthPath: '/healthz',
      env: { DB_HOST: db.host, DB_PASSWORD: db.password },
      uses: [db],
    });
    new Worker(this, 'ingest', {
      image: s.images.ingest,
      profile: s.ingest,
      health: { exec: ['sh', '-c', 'test -f /tmp/alive'] },
      env: { DB_HOST: db.host, DB_PASSWORD: db.password, PROVIDER_TOKEN: secretKey('quotes-provider', 'TOKEN') },
      uses: [db],
      egress: [{ description: 'quotes provider', ports: [443] }],
    });
    new PublicIngress(this, 'web', { host: s.host, routes: [{ path: '/', service: api, access: 'public', control: false }] });
  }
}
