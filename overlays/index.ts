import type { Overlay } from '../charts/types';
import { demo } from './demo';
import { dev } from './dev';
import { prod } from './prod';

/** Every env, by name, in output order. */
export const overlays: Readonly<Record<string, Overlay>> = { dev, demo, prod };
