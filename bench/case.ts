/**
 * One benchmark case, run in its own process so every measurement starts cold:
 *   case ours <N> <outdir>      N WebServices through the library's full pipeline (checks, schema, fields, policy, YAML, atomic write)
 *   case plain <N> <outdir>     N services as a plain cdk8s-plus-27 chart (Deployment + Service + ConfigMap + HPA), app.synth(), no checks
 *   case platforms - <outdir>   the four real platforms in three envs, as `npx cdk8s synth` renders them
 * Prints one JSON line: wall milliseconds from process start, peak RSS in MB, objects written.
 */
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { synthesize } from '../app/synthesize';
import { AppConfig, PlatformChart, WebService } from '../src';

const [kind, nArg, outdir] = process.argv.slice(2);
const n = Number(nArg);
let objects = 0;

const phases: Record<string, number> = {};
if (kind === 'ours') {
  const env = { name: 'bench', production: false, ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx', tlsIssuer: { name: 'letsencrypt' } }, apiServerCidrs: ['10.0.0.1/32'] };
  const rendered = synthesize({
    timings: phases,
    overlays: { bench: { env } },
    platforms: [
      {
        name: 'bench',
        build: (scope, o) => {
          const chart = new PlatformChart(scope, 'bench', { env: o.env });
          for (let i = 0; i < n; i++) {
            const config = new AppConfig(chart, `svc${i}-config`, { data: { LOG_LEVEL: 'info', INDEX: String(i) } });
            new WebService(chart, `svc${i}`, {
              image: `ghcr.io/bench/svc${i}:1.0.${i}`,
              profile: { autoscale: { minReplicas: 2, maxReplicas: 5 }, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
              port: 8080,
              healthPath: '/healthz',
              config: [config],
            });
          }
          return chart;
        },
      },
    ],
    outdir,
  });
  objects = rendered.objects.length;
} else if (kind === 'plain') {
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    const config = new plus.ConfigMap(chart, `svc${i}-config`, { data: { LOG_LEVEL: 'info', INDEX: String(i) } });
    const deployment = new plus.Deployment(chart, `svc${i}`, {
      containers: [
        {
          image: `ghcr.io/bench/svc${i}:1.0.${i}`,
          portNumber: 8080,
          envFrom: [plus.Env.fromConfigMap(config)],
          resources: { cpu: { request: plus.Cpu.millis(100) }, memory: { request: require('cdk8s').Size.mebibytes(128), limit: require('cdk8s').Size.mebibytes(256) } },
          readiness: plus.Probe.fromHttpGet('/healthz'),
          liveness: plus.Probe.fromHttpGet('/healthz'),
        },
      ],
    });
    deployment.exposeViaService();
    new plus.HorizontalPodAutoscaler(chart, `svc${i}-hpa`, { target: deployment, minReplicas: 2, maxReplicas: 5, metrics: [plus.Metric.resourceCpu(plus.MetricTarget.averageUtilization(70))] });
  }
  app.synth();
  objects = chart.toJson().length;
} else if (kind === 'platforms') {
  objects = synthesize({ overlays, platforms, outdir, timings: phases }).objects.length;
} else {
  throw new Error(`unknown case ${kind}`);
}

const ms = performance.now(); // milliseconds since the process started
const rounded = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)]));
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), rssMb: Math.round(process.resourceUsage().maxRSS / 1024), objects, phases: rounded })}\n`);
