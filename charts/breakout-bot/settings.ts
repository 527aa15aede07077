import type { Budget, Resources, StorageProfile, WorkloadProfile } from '../../src';

/** What the Breakout Bot chart needs from each env's overlay. Types only. */
export interface BreakoutBotSettings {
  /** Public host of the UI, the API and Grafana (`/grafana`). */
  readonly host: string;
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  readonly budget: Budget;
  readonly images: {
    readonly api: string;
    readonly frontend: string;
    readonly cache: string;
    readonly grafana: string;
  };
  /** The trading engine and its API: a singleton, never more than one replica. */
  readonly api: WorkloadProfile;
  /** React UI. */
  readonly frontend: WorkloadProfile;
  readonly cache: { readonly resources: Resources };
  /** Grafana: one pod with its own volume. */
  readonly grafana: { readonly resources: Resources; readonly storage: StorageProfile };
  /** The engine's persistent `data`, `logs` and `reports` folders. */
  readonly volumes: { readonly data: StorageProfile; readonly logs: StorageProfile; readonly reports: StorageProfile };
  /** Archives of `data` taken before each new engine pod starts. */
  readonly dataBackups: { readonly keep: number; readonly storage: StorageProfile };
  /** Names of the Secrets in the namespace; keys are fixed by the chart. */
  readonly secrets: {
    /** EXCHANGE_API_KEY, EXCHANGE_API_SECRET (test keys outside prod). */
    readonly exchange: string;
    /** REDIS_PASSWORD. */
    readonly cache: string;
    /** GF_SECURITY_ADMIN_PASSWORD. */
    readonly grafana: string;
  };
  /** TRADING_MODE: `paper` trades on no real account. */
  readonly tradingMode: 'paper' | 'live';
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
}
