import type * as z from 'zod/mini';
import { breakoutBotImages } from '../../charts/breakout-bot/settings';
import { peripheralImages } from '../../charts/peripheral/settings';
import { signalsImages } from '../../charts/signals/settings';
import { tradeBotImages } from '../../charts/tradebot/settings';
import { strict, type CheckedInput } from '../../src';
import demo from './demo.json';
import dev from './dev.json';
import prod from './prod.json';

/**
 * The images one env runs, per platform and service: the one file a release changes.
 * `npm run promote -- <platform> demo prod` copies a platform's entry from demo's file to prod's.
 * Synth checks each file against it: an unknown platform or service fails, with a did-you-mean.
 */
export const releaseSchema = strict({
  peripheral: peripheralImages,
  tradebot: tradeBotImages,
  'breakout-bot': breakoutBotImages,
  signals: signalsImages,
});
/** The images one env runs, per platform and service. */
export type Release = z.infer<typeof releaseSchema>;

/** Every env's release, typed: a missing service or platform is a compile error. */
export const releases: { readonly dev: Release; readonly demo: Release; readonly prod: Release } = { dev, demo, prod };

/** The release files, for synth to check with the overlays. */
export const releaseInputs: readonly CheckedInput[] = Object.entries(releases).map(([env, value]) => ({
  where: `${env}: overlays/releases/${env}.json`,
  value,
  schema: releaseSchema,
}));
