import type { OverlayBase } from '../src';
import type { PeripheralSettings } from './peripheral/settings';

/** One env's overlay: the shared env settings and each platform's settings. Types only. */
export interface Overlay extends OverlayBase {
  readonly peripheral: PeripheralSettings;
}
