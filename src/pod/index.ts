// Pods and containers: the input types, the checks every container needs, and the hardened rendering.
export * from './render';
export * from './types';
export * from './validate';
