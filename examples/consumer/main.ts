// The app `cdk8s synth` runs: render every env, write dist/ only when all of it is valid.
import * as path from 'node:path';
import { InputError } from '@trading-platform/manifests';
import { synthesize } from '@trading-platform/manifests/synth';
import { overlays } from './overlays';
import { QuotesChart } from './platform';

try {
  const rendered = synthesize({
    overlays,
    platforms: [{ name: 'quotes', build: (scope, o) => new QuotesChart(scope, o.env, o.quotes) }],
    outdir: path.resolve('dist'),
    listingDir: process.env.CDK8S_OUTDIR,
  });
  process.stderr.write(`rendered ${rendered.objects.length} objects\n`);
} catch (e) {
  process.stderr.write(`${e instanceof InputError ? e.message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
