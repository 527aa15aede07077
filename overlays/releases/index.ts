import type { BreakoutBotSettings } from '../../charts/breakout-bot/settings';
import type { PeripheralSettings } from '../../charts/peripheral/settings';
import type { SignalsSettings } from '../../charts/signals/settings';
import type { TradeBotSettings } from '../../charts/tradebot/settings';
import demo from './demo.json';
import dev from './dev.json';
import prod from './prod.json';

/**
 * The images one env runs, per platform and service: the one file a release changes.
 * `npm run promote -- <platform> demo prod` copies a platform's entry from demo's file to prod's.
 */
export interface Release {
  readonly peripheral: PeripheralSettings['images'];
  readonly tradebot: TradeBotSettings['images'];
  readonly 'breakout-bot': BreakoutBotSettings['images'];
  readonly signals: SignalsSettings['images'];
}

/** Every env's release, typed: a missing service or platform is a compile error. */
export const releases: { readonly dev: Release; readonly demo: Release; readonly prod: Release } = { dev, demo, prod };
