import { Construct } from 'constructs';
import { AppConfig, Environment, httpsEgress, PlatformChart, PublicIngress, ScheduledRestart, secretKey, Singleton } from '../../src';
import type { SignalsSettings } from './settings';

export type { SignalsSettings } from './settings';

/**
 * Signals (seed 000): one Node.js backend on port 30050 that serves the built frontend apps, the
 * `/status` API and the `/session` WebSocket of the agent chat.
 *
 * From the seed's Docker image and PM2 ecosystem to Kubernetes:
 * - PM2's single instance becomes a Singleton: WebSocket sessions live in the process, so a
 *   second replica would split them. Kubernetes restarts it on failure (PM2's autorestart);
 * - PM2's `max_memory_restart: 4096M` becomes the container's 4 GiB memory limit (from the overlay);
 * - PM2's daily restart at midnight (`cron_restart`) becomes a ScheduledRestart CronJob running
 *   `kubectl rollout restart` under its own ServiceAccount, whose Role may get and patch exactly
 *   this Deployment;
 * - PM2's merged, timestamped log files become stdout, collected by the cluster;
 * - the Docker health check becomes readiness and liveness probes on the port;
 * - `.env` (read by `readConfig`) becomes the `settings` ConfigMap and references to one Secret;
 * - the Vite dev proxies for `/session` (WebSocket) and `/status` become Ingress paths, `/session`
 *   with WebSocket timeouts.
 */
export class SignalsChart extends PlatformChart {
  public constructor(scope: Construct, env: Environment, s: SignalsSettings) {
    super(scope, 'signals', { env, description: 'Signals: Node.js signal and agent-chat backend serving its apps (seed 000)', budget: s.budget });

    const settings = new AppConfig(this, 'settings', { data: { ...s.settings, PORT: '30050', NODE_ENV: 'production' } });
    const app = new Singleton(this, 'app', {
      image: s.images.app,
      profile: s.app,
      component: 'backend',
      port: 30050,
      healthPath: '/',
      config: [settings],
      env: Object.fromEntries(s.secret.keys.map((k) => [k, secretKey(s.secret.name, k)])),
      egress: [httpsEgress('market data, exchanges and AI providers')],
    });

    new ScheduledRestart(this, 'daily-restart', {
      target: app,
      schedule: s.restartSchedule,
      image: s.images.kubectl,
    });

    new PublicIngress(this, 'web', {
      host: s.host,
      routes: [
        // The seed has no sign-in of its own and `/session` talks to trading agents: every path
        // asks the env's oauth2-proxy, the apps' page included, so their calls carry its cookie.
        { path: '/', service: app, access: 'authenticated' },
        { path: '/status', service: app, access: 'authenticated' },
        { path: '/session', service: app, access: 'authenticated', control: true, websocket: true },
      ],
    });
  }
}
