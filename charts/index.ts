import type { PlatformEntry } from '../src';
import { BreakoutBotChart } from './breakout-bot';
import { breakoutBotSettings } from './breakout-bot/settings';
import { PeripheralChart } from './peripheral';
import { peripheralSettings } from './peripheral/settings';
import { SignalsChart } from './signals';
import { signalsSettings } from './signals/settings';
import { TradeBotChart } from './tradebot';
import { tradeBotSettings } from './tradebot/settings';
import type { Overlay } from './types';

export type { Overlay } from './types';
export { BreakoutBotChart } from './breakout-bot';
export { PeripheralChart } from './peripheral';
export { SignalsChart } from './signals';
export { TradeBotChart } from './tradebot';

/**
 * Every platform the app renders, in output order, with the key and schema of its settings in an
 * overlay (synth checks them before it builds). Add a platform here.
 */
export const platforms: readonly PlatformEntry<Overlay>[] = [
  { name: 'peripheral', settings: { key: 'peripheral', schema: peripheralSettings }, build: (scope, o) => new PeripheralChart(scope, o.env, o.peripheral) },
  { name: 'tradebot', settings: { key: 'tradebot', schema: tradeBotSettings }, build: (scope, o) => new TradeBotChart(scope, o.env, o.tradebot) },
  { name: 'breakout-bot', settings: { key: 'breakoutBot', schema: breakoutBotSettings }, build: (scope, o) => new BreakoutBotChart(scope, o.env, o.breakoutBot) },
  { name: 'signals', settings: { key: 'signals', schema: signalsSettings }, build: (scope, o) => new SignalsChart(scope, o.env, o.signals) },
];
