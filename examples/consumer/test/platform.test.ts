import { describe, expect, it } from 'vitest';
import { findObject, hardeningGaps, podSpecsOf, servicesWithoutPods } from '@trading-platform/manifests/testing';
import { render } from '@trading-platform/manifests';
import { overlays } from '../overlays';
import { QuotesChart } from '../platform';

const rendered = render(overlays, [{ name: 'quotes', build: (scope, o) => new QuotesChart(scope, o.env, o.quotes) }]);

describe('quotes', () => {
  it('hardens every pod and wires every Service', () => {
    for (const o of rendered.objects) for (const spec of podSpecsOf(o.doc)) expect(hardeningGaps(spec), o.path).toEqual([]);
    expect(servicesWithoutPods(rendered.objects)).toEqual([]);
  });

  it('autoscales the API in prod and lets only the ingest worker out', () => {
    expect(findObject(rendered.objects, 'HorizontalPodAutoscaler', 'api', 'prod').spec.maxReplicas).toBe(4);
    expect(findObject(rendered.objects, 'NetworkPolicy', 'ingest', 'prod').metadata.annotations['trading-platform-manifests/external-egress']).toContain('quotes provider');
  });
});
