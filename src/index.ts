/**
 * The public API of the library: what a GitOps repo imports to describe its platforms and render
 * them in memory. Everything not named here is internal and may change in any release.
 * Writing the output is the `/synth` entry point; the testing helpers are `/testing`.
 *
 * @packageDocumentation
 */

// The env and what it says per workload.
export type { Autoscale, DnsSettings, Environment, IngressSettings, MonitoringSettings, Resources, StorageProfile, TlsIssuer, WorkloadProfile } from './environment';
export type { ArgoCdSettings, ExternalSecretsSettings, RootAppSettings } from './delivery-settings';
export type { Budget } from './capacity/capacity';

// The input schemas the env types are inferred from, and the blocks a repo builds its platforms'
// settings schemas from (synth checks every overlay against them: see PlatformEntry.settings).
export {
  autoscaleSchema, budgetSchema, dnsSchema, environmentSchema, ingressSchema, monitoringSchema, resourcesSchema, storageProfileSchema,
  tlsIssuerSchema, workloadProfileSchema,
} from './environment';
export { argoCdSchema, externalSecretsSchema, rootAppSchema } from './delivery-settings';
export { objectStorageSchema } from './object-storage-settings';
export { keysOnly, labels, list, names, strict } from './schema/shape';
export type { CheckedInput, SettingsSchema } from './schema/check';

// Constructs and their props.
export { PlatformChart } from './platform-chart';
export type { MetadataOptions, PlatformChartProps } from './platform-chart';
export { AppConfig, SecretKey, SecretRef, secretKey } from './config';
export type { AppConfigProps, EnvValue, EnvVars } from './config';
export { WebService, Worker, Singleton } from './workload';
export type { PersistentVolume, SingletonProps, WebServiceProps, WorkerProps, WorkloadOptions } from './workload';
export { JOB_RESOURCES } from './pod';
export type { HealthCheck, WritablePath } from './pod';
export { Postgres, POSTGRES_PORT } from './postgres';
export type { PostgresProps } from './postgres';
export { Redis, REDIS_PORT } from './redis';
export type { RedisProps } from './redis';
export { MigrationJob } from './migration-job';
export type { MigrationJobProps } from './migration-job';
export { BackupCronJob } from './backup-cron-job';
export type { BackupCronJobProps } from './backup-cron-job';
export type { ObjectStorageSettings } from './object-storage-settings';
export { ScheduledRestart } from './scheduled-restart';
export type { Restartable, ScheduledRestartProps } from './scheduled-restart';
export { PublicIngress } from './ingress';
export type { IngressRoute, PublicIngressProps, Routable, RouteAccess } from './ingress';
export type { MetricsEndpoint } from './monitoring';
export { httpsEgress, NOT_INTERNET } from './network';
export type { ClusterEgress, Connectable, Egress, ExternalEgress, NamespacePeer, NetworkPeer } from './network';

// Rendering, in memory.
export { render } from './synth/render';
export type { OverlayBase, PlatformEntry, Rendered, RenderedObject, RenderOptions } from './synth/render';
export { InputError } from './problems';

// Policy and waivers.
export { describeRules } from './policy/engine';
export type { RuleDescription, WaiverInForce } from './policy/engine';
export { waive } from './policy/waiver';
export type { RuleId } from './policy/rule';
