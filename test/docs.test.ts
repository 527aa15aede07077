import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlays } from '../overlays';
import { render, Rendered } from '../src';
import { renderedPlatforms } from './helpers';

// The pages synth writes beside the manifests: one per env and platform with a Mermaid diagram,
// the Secrets read and the capacity table; one per env; one overview of how the envs differ.

let rendered: Rendered;
let parse: (text: string) => Promise<unknown>;
beforeAll(async () => {
  rendered = renderedPlatforms();
  // Mermaid's parser needs a DOM (for its sanitizer); jsdom provides one, as for any browser library in Node.
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text);
}, 60_000);

const ENVS = Object.keys(overlays);
const diagramOf = (page: string) => /```mermaid\n([\s\S]*?)```/.exec(page)?.[1] ?? '';

describe.each(ENVS.flatMap((env) => platforms.map((p) => [env, p.name] as const)))('the page of %s/%s', (env, platform) => {
  const page = () => rendered.files.get(`${env}/${platform}/README.md`)!;

  it('holds a Mermaid flowchart that parses', async () => {
    const diagram = diagramOf(page());
    expect(diagram.startsWith('flowchart LR\n')).toBe(true);
    await expect(parse(diagram)).resolves.toBeTruthy();
  });

  it('shows every workload, every Ingress host, and the capacity against the budget', () => {
    const docs = rendered.objects.filter((o) => o.env === env && o.platform === platform).map((o) => o.doc);
    for (const d of docs.filter((x) => ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind))) expect(diagramOf(page()), d.metadata.name).toContain(d.metadata.name);
    for (const ing of docs.filter((x) => x.kind === 'Ingress')) expect(diagramOf(page())).toContain(ing.spec.rules[0].host);
    expect(page()).toContain('| worst case |');
    expect(page()).toContain('| budget (ResourceQuota) |');
    expect(page()).not.toMatch(/-----BEGIN|sk_live_|:\/\/[^/\s:@]+:[^@\s]+@/); // names of Secrets and keys only, never values
  });

  it('is left out of what kustomize and Argo CD apply', () => {
    expect(rendered.files.get(`${env}/${platform}/kustomization.yaml`)).not.toContain('README.md');
  });
});

describe('the diagram', () => {
  it('does not parse when broken (the check is real)', async () => {
    await expect(parse('flowchart LR\n  a["x"] -->\n')).rejects.toThrow();
  });

  it('draws the Ingress paths, the connections with their ports, the internet and other namespaces', () => {
    const tradebot = diagramOf(rendered.files.get('prod/tradebot/README.md')!);
    expect(tradebot).toContain('ing_web -- "/api/" --> deploy_backend');
    expect(tradebot).toContain('deploy_worker -- "6379" --> sts_cache');
    expect(tradebot).toContain('deploy_worker -- "443,9443" --> internet');
    expect(tradebot).toMatch(/job_migrate\[\/"migrate<br\/>Job, Sync hook"\/\]/);
    const breakout = diagramOf(rendered.files.get('prod/breakout-bot/README.md')!);
    expect(breakout).toContain('deploy_grafana -- "9090" --> ns_monitoring');
    expect(diagramOf(rendered.files.get('prod/peripheral/README.md')!)).toContain('deploy_worker["worker<br/>3–12 pods (HPA)"]');
  });
});

describe('the overview pages', () => {
  it('list each env\'s platforms with links', () => {
    for (const env of ENVS) {
      const page = rendered.files.get(`${env}/README.md`)!;
      for (const p of platforms) expect(page).toContain(`| [${p.name}](./${p.name}/README.md) | \`${p.name}-${env}\` |`);
    }
  });

  it('show what differs between the envs, and only that', () => {
    const page = rendered.files.get('README.md')!;
    expect(page).toContain('| | dev | demo | prod |');
    expect(page).toContain('| peripheral · worker pods | 1 | 2–4 | 3–12 |');
    expect(page).toContain('| peripheral · host | dev.peripheral.internal | demo.peripheral.internal | app.peripheral.com |');
    expect(page).toContain('| peripheral · db volume | 5Gi | 20Gi | 200Gi |');
    expect(page).not.toContain('signals · app pods'); // a singleton everywhere: no difference
  });

  it('are deterministic', () => {
    const again = render(overlays, platforms);
    for (const [p, content] of rendered.files) if (p.endsWith('.md')) expect(again.files.get(p), p).toBe(content);
  });
});
