import { overlayKeys, type Overlay } from '../charts/types';
import type { CheckedInput } from '../src';
import { demo } from './demo';
import { dev } from './dev';
import { prod } from './prod';
import { releaseInputs } from './releases';

/** Every env, by name, in output order. */
export const overlays: Readonly<Record<string, Overlay>> = { dev, demo, prod };

/**
 * What synth checks besides each overlay's env and platform settings: the overlays' own keys and
 * the release files.
 */
export const inputs: readonly CheckedInput[] = [
  ...Object.entries(overlays).map(([env, value]) => ({ where: env, value, schema: overlayKeys })),
  ...releaseInputs,
];
