import * as z from 'zod/mini';
import { budgetSchema, resourcesSchema, storageProfileSchema, strict, workloadProfileSchema } from '../../src';

/** The images of Breakout Bot: its release file entry. */
export const breakoutBotImages = strict({
  api: z.string(),
  frontend: z.string(),
  cache: z.string(),
  grafana: z.string(),
});

/** What the Breakout Bot chart needs from each env's overlay; synth checks every overlay against it. */
export const breakoutBotSettings = strict({
  /** Public host of the UI, the API and Grafana (`/grafana`). */
  host: z.string(),
  /** What the platform may claim in this env: its namespace's ResourceQuota, and the capacity synth checks. */
  budget: budgetSchema,
  images: breakoutBotImages,
  /** The trading engine and its API: a singleton, never more than one replica. */
  api: workloadProfileSchema,
  /** React UI. */
  frontend: workloadProfileSchema,
  cache: strict({ resources: resourcesSchema }),
  /** Grafana: one pod with its own volume. */
  grafana: strict({ resources: resourcesSchema, storage: storageProfileSchema }),
  /** The engine's persistent `data`, `logs` and `reports` folders. */
  volumes: strict({ data: storageProfileSchema, logs: storageProfileSchema, reports: storageProfileSchema }),
  /** Archives of `data` taken before each new engine pod starts. */
  dataBackups: strict({ keep: z.number(), storage: storageProfileSchema }),
  /** Names of the Secrets in the namespace; keys are fixed by the chart. */
  secrets: strict({
    /** EXCHANGE_API_KEY, EXCHANGE_API_SECRET (test keys outside prod). */
    exchange: z.string(),
    /** REDIS_PASSWORD. */
    cache: z.string(),
    /** GF_SECURITY_ADMIN_PASSWORD. */
    grafana: z.string(),
  }),
  /** TRADING_MODE: `paper` trades on no real account. Required: there is no safe guess for prod. */
  tradingMode: z.enum(['paper', 'live']),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']),
});
/** What the Breakout Bot chart needs from each env's overlay. */
export type BreakoutBotSettings = z.infer<typeof breakoutBotSettings>;
