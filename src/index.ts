// Public entry point: what a GitOps repo imports to describe its platforms.
export * from './environment';
export * from './problems';
export * from './platform-chart';
export * from './config';
export * from './image';
export * from './pod';
export * from './network';
export * from './workload';
export * from './postgres';
export * from './redis';
export * from './migration-job';
export * from './backup-cron-job';
export * from './ingress';
export * from './synth/render';
export * from './synth/write';
export * from './synth/synthesize';
export * as checks from './checks';
