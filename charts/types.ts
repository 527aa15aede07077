import * as z from 'zod/mini';
import { environmentSchema, keysOnly, strict } from '../src';
import { breakoutBotSettings } from './breakout-bot/settings';
import { peripheralSettings } from './peripheral/settings';
import { signalsSettings } from './signals/settings';
import { tradeBotSettings } from './tradebot/settings';

/**
 * One env's overlay: the shared env settings and each platform's settings. Synth checks the env
 * and each platform's part against their schemas (`charts/index.ts` names each platform's key),
 * and the overlay's own keys against {@link overlayKeys}.
 */
export const overlaySchema = strict({
  env: environmentSchema,
  peripheral: peripheralSettings,
  tradebot: tradeBotSettings,
  breakoutBot: breakoutBotSettings,
  signals: signalsSettings,
});
/** One env's overlay: what `overlays/<env>.ts` holds. */
export type Overlay = z.infer<typeof overlaySchema>;

/** The keys of an overlay, and no other. */
export const overlayKeys = keysOnly(overlaySchema);
