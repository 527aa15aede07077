export * from './engine';
export * from './rule';
export * from './rules';
export * from './waiver';
