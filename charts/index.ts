import type { PlatformEntry } from '../src';
import { BreakoutBotChart } from './breakout-bot';
import { PeripheralChart } from './peripheral';
import { SignalsChart } from './signals';
import { TradeBotChart } from './tradebot';
import type { Overlay } from './types';

export type { Overlay } from './types';
export { BreakoutBotChart } from './breakout-bot';
export { PeripheralChart } from './peripheral';
export { SignalsChart } from './signals';
export { TradeBotChart } from './tradebot';

/** Every platform the app renders, in output order. Add a platform here. */
export const platforms: readonly PlatformEntry<Overlay>[] = [
  { name: 'peripheral', build: (scope, o) => new PeripheralChart(scope, o.env, o.peripheral) },
  { name: 'tradebot', build: (scope, o) => new TradeBotChart(scope, o.env, o.tradebot) },
  { name: 'breakout-bot', build: (scope, o) => new BreakoutBotChart(scope, o.env, o.breakoutBot) },
  { name: 'signals', build: (scope, o) => new SignalsChart(scope, o.env, o.signals) },
];
