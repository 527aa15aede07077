// The long-running workloads: WebService, Worker, Singleton, and the options they share.
export type { PersistentVolume, WorkloadOptions } from './options';
export * from './singleton';
export * from './web-service';
export * from './worker';
