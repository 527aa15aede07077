// Public entry point: what a GitOps repo imports to describe its platforms and render them in
// memory. Writing the files is the `/synth` entry point (app/synthesize.ts).
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
export * from './monitoring';
export * from './scheduled-restart';
export * from './synth/render';
export { schemaProblems } from './synth/validate';
export * from './delivery/argocd';
export * from './delivery/waves';
export * from './delivery/secrets';
export * from './delivery/settings';
export * from './policy';
export * from './capacity/capacity';
export * from './quantity';
export * as checks from './checks';
