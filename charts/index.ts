import type { PlatformEntry } from '../src';
import { PeripheralChart } from './peripheral';
import type { Overlay } from './types';

export type { Overlay } from './types';
export { PeripheralChart } from './peripheral';

/** Every platform the app renders, in output order. Add a platform here. */
export const platforms: readonly PlatformEntry<Overlay>[] = [
  { name: 'peripheral', build: (scope, o) => new PeripheralChart(scope, o.env, o.peripheral) },
];
