import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../charts';
import { overlayKeys, type Overlay } from '../charts/types';
import { inputs, overlays } from '../overlays';
import { releaseInputs, releases, releaseSchema } from '../overlays/releases';
import { synthesize } from '../app/synthesize';
import { InputError, render } from '../src';
import { didYouMean, inputProblems } from '../src/schema';
import { overlayProblems } from '../src/synth/inputs';
import { inputErrorOf } from './helpers';

// Input mistakes never pass synth: every overlay, release file and chart setting is checked
// against the schema its TypeScript type is inferred from, before anything is built.

type Edit = (o: Record<string, any>) => void;

/**
 * The input problems synth reports after `edit` on a deep copy of the real overlays and release
 * files: what render checks before it builds anything (a whole render per case would cost seconds).
 */
function problemsAfter(edit: Edit, editReleases: Edit = () => {}): string[] {
  const copy = structuredClone(overlays) as Record<string, any>;
  edit(copy);
  const rel = structuredClone(releases) as Record<string, any>;
  editReleases(rel);
  const keys = Object.keys(copy).map((env) => inputProblems(overlayKeys, copy[env], env));
  const files = releaseInputs.map((i) => inputProblems(i.schema, rel[i.where.split(':')[0]], i.where));
  return [...overlayProblems(copy, platforms, Object.keys(copy)).lines, ...keys.flat(), ...files.flat()];
}

/** What a render of `envs` of the overlays after `edit` throws, line by line (`[]` if it renders). */
function renderProblemsAfter(edit: Edit, envs: readonly string[]): string[] {
  const copy = structuredClone(overlays) as Record<string, any>;
  edit(copy);
  try {
    render(copy as Record<string, Overlay>, platforms, { envs, inputs });
  } catch (e) {
    if (e instanceof InputError) return [...e.problems];
    throw e;
  }
  return [];
}

/** Renames key `from` of `obj` to `to`, keeping its value. */
function rename(obj: Record<string, any>, from: string, to: string): void {
  expect(obj).toHaveProperty([from]);
  obj[to] = obj[from];
  delete obj[from];
}

describe('the real inputs', () => {
  it('pass every schema: the four platforms in every env, and every release file', () => {
    expect(overlayProblems(overlays, platforms, Object.keys(overlays)).lines).toEqual([]);
    for (const i of inputs) expect(inputProblems(i.schema, i.value, i.where)).toEqual([]);
    expect(releaseInputs.map((i) => i.where.split(':')[0]).sort()).toEqual(Object.keys(overlays).sort());
    for (const i of releaseInputs) expect(inputProblems(i.schema, i.value, i.where)).toEqual([]);
  });
});

describe('a misspelt optional field fails synth with its path and a did-you-mean', () => {
  it('fails when prod says prodution: true', () => {
    const problems = problemsAfter((o) => rename(o.prod.env, 'production', 'prodution'));
    expect(problems).toContain('prod: env.prodution: unknown key; did you mean "production"?');
    expect(problems).toContain('prod: env.production: required; expected true or false');
  });

  it('fails when prod says storageClas', () => {
    const problems = problemsAfter((o) => rename(o.prod.env, 'storageClass', 'storageClas'));
    expect(problems).toContain('prod: env.storageClas: unknown key; did you mean "storageClass"?');
  });

  it('fails when the prod peripheral backend says autoscaling', () => {
    const problems = problemsAfter((o) => rename(o.prod.peripheral.backend, 'autoscale', 'autoscaling'));
    expect(problems).toEqual(['prod/peripheral: backend.autoscaling: unknown key; did you mean "autoscale"?']);
  });

  it('fails when a key is unknown and close to none, naming the allowed keys', () => {
    const problems = problemsAfter((o) => (o.dev.tradebot.worker.concurrency = 4));
    expect(problems).toEqual(['dev/tradebot: worker.concurrency: unknown key; allowed: replicas, resources, autoscale']);
  });

  it('fails when an overlay has a key no platform reads', () => {
    const problems = problemsAfter((o) => rename(o.demo, 'breakoutBot', 'breakoutbot'));
    // Each problem once: the missing platform by its own check, the unknown key by the overlay's.
    expect(problems).toEqual([
      'demo/breakout-bot: breakoutBot: required; the overlay has no settings for this platform',
      'demo: breakoutbot: unknown key; did you mean "breakoutBot"?',
    ]);
  });

  it('fails when a release file names an unknown platform or service', () => {
    const problems = problemsAfter(
      () => {},
      (r) => {
        rename(r.prod, 'breakout-bot', 'breakoutbot');
        rename(r.demo.signals, 'kubectl', 'kubect');
      },
    );
    expect(problems).toContain('prod: overlays/releases/prod.json: breakoutbot: unknown key; did you mean "breakout-bot"?');
    expect(problems).toContain('demo: overlays/releases/demo.json: signals.kubect: unknown key; did you mean "kubectl"?');
  });
});

describe('a wrong type fails synth', () => {
  it('fails when replicas is a string, a flag is not a boolean, or a mode is not one of its values', () => {
    const problems = problemsAfter((o) => {
      o.prod.peripheral.frontend.replicas = '2';
      o.dev.peripheral.settings.features.aiInsights = 'yes';
      o.prod.breakoutBot.tradingMode = 'Live';
      o.demo.signals.secret.keys = 'OPENAI_API_KEY';
      o.prod.env.ingress.tlsIssuer.kind = 'clusterissuer';
    });
    expect(problems).toEqual([
      'dev/peripheral: settings.features.aiInsights: "yes" is a string; expected true or false',
      'demo/signals: secret.keys: "OPENAI_API_KEY" is a string; expected a list',
      'prod: env.ingress.tlsIssuer.kind: "clusterissuer" is not allowed; use "ClusterIssuer" or "Issuer"',
      'prod/peripheral: frontend.replicas: "2" is a string; expected a number',
      'prod/breakout-bot: tradingMode: "Live" is not allowed; use "paper" or "live"',
    ]);
  });

  it('reports the problems of every env together and writes nothing', () => {
    const copy = structuredClone(overlays) as Record<string, any>;
    rename(copy.dev.env, 'timeZone', 'timezone');
    rename(copy.demo.env, 'production', 'prodution');
    rename(copy.prod.env, 'storageClass', 'storageClas');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tpm-inputs-'));
    try {
      const error = inputErrorOf(() => {
        const release = { where: 'prod: overlays/releases/prod.json', value: { ...releases.prod, signal: {} }, schema: releaseSchema };
        synthesize({ overlays: copy as Record<string, Overlay>, platforms, outdir: out, inputs: [...inputs, release] });
      });
      expect(error.problems).toEqual([
        'dev: env.timezone: unknown key; did you mean "timeZone"?',
        'demo: env.production: required; expected true or false',
        'demo: env.prodution: unknown key; did you mean "production"?',
        'prod: env.storageClas: unknown key; did you mean "storageClass"?',
        expect.stringMatching(/^prod: env\.storageClass: required in a production env/),
        `prod: overlays/releases/prod.json: signal: unknown key; allowed: ${Object.keys(releases.prod).join(', ')}`,
      ]);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('still reports the problems of the platforms whose input is right', () => {
    const problems = renderProblemsAfter((o) => {
      rename(o.prod.peripheral.backend, 'autoscale', 'autoscaling');
      o.prod.peripheral.frontend.replicas = 'two';
      o.prod.tradebot.host = 'App TradeBot';
    }, ['prod']);
    expect(problems.slice(0, 2)).toEqual([
      'prod/peripheral: backend.autoscaling: unknown key; did you mean "autoscale"?',
      'prod/peripheral: frontend.replicas: "two" is a string; expected a number',
    ]);
    // Nothing of a platform whose input is wrong is built, so no construct reports on it.
    expect(problems.filter((p) => p.startsWith('prod/peripheral/'))).toEqual([]);
    expect(problems.some((p) => p.startsWith('prod/tradebot') && p.includes('"App TradeBot"'))).toBe(true);
  });
});

describe('safety settings fail closed', () => {
  it('fails when an env does not say whether it is production', () => {
    expect(problemsAfter((o) => delete o.demo.env.production)).toEqual(['demo: env.production: required; expected true or false']);
  });

  it('fails when a production env leaves its storage class, its peers or its image pinning to a default', () => {
    const problems = problemsAfter((o) => {
      delete o.prod.env.storageClass;
      delete o.prod.env.ingress.controllerPodLabels;
      delete o.prod.env.monitoring.podLabels;
      o.prod.env.requirePinnedImages = false;
    });
    expect(problems.map((p) => p.slice(0, p.indexOf(': ', 'prod: '.length)))).toEqual([
      'prod: env.storageClass',
      'prod: env.requirePinnedImages',
      'prod: env.ingress.controllerPodLabels',
      'prod: env.monitoring.podLabels',
    ]);
    expect(problems[0]).toMatch(/^prod: env\.storageClass: required in a production env/);
  });

  it('lets a non-production env leave them to their defaults', () => {
    const copy = structuredClone(overlays.dev) as Record<string, any>;
    delete copy.env.monitoring.podLabels;
    expect(overlayProblems({ dev: copy }, platforms, ['dev']).lines).toEqual([]);
  });
});

describe('the types tsc checks the overlays against', () => {
  it('are inferred from the same schemas: the typos synth refuses are compile errors too', () => {
    // Each line fails `tsc --noEmit` (npm test) unless the type refuses it; with a loose schema
    // (unknown keys allowed) the inferred type accepts them and tsc fails on the unused directive.
    // @ts-expect-error misspelt env key
    const env: Overlay['env'] = { ...overlays.prod.env, prodution: true };
    // @ts-expect-error misspelt profile key
    const backend: Overlay['peripheral']['backend'] = { ...overlays.prod.peripheral.backend, autoscaling: { minReplicas: 2, maxReplicas: 6 } };
    // @ts-expect-error wrong type
    const frontend: Overlay['peripheral']['frontend'] = { ...overlays.prod.peripheral.frontend, replicas: '2' };
    expect([env, backend, frontend].every((o) => typeof o === 'object')).toBe(true);
  });
});

describe('did-you-mean', () => {
  it('suggests the closest known key, and none when nothing is close', () => {
    expect(didYouMean('autoscaling', ['replicas', 'resources', 'autoscale'])).toBe('autoscale');
    expect(didYouMean('prodution', ['name', 'production', 'storageClass'])).toBe('production');
    expect(didYouMean('concurrency', ['replicas', 'resources', 'autoscale'])).toBeUndefined();
  });

  it('takes the schema of every release file from the charts', () => {
    expect(inputProblems(releaseSchema, { ...releases.prod, extra: {} }, 'prod')).toEqual([
      `prod: extra: unknown key; allowed: ${Object.keys(releases.prod).join(', ')}`,
    ]);
  });
});
