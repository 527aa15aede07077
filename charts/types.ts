import type { OverlayBase } from '../src';
import type { BreakoutBotSettings } from './breakout-bot/settings';
import type { PeripheralSettings } from './peripheral/settings';
import type { SignalsSettings } from './signals/settings';
import type { TradeBotSettings } from './tradebot/settings';

/** One env's overlay: the shared env settings and each platform's settings. Types only. */
export interface Overlay extends OverlayBase {
  readonly peripheral: PeripheralSettings;
  readonly tradebot: TradeBotSettings;
  readonly breakoutBot: BreakoutBotSettings;
  readonly signals: SignalsSettings;
}
