/**
 * The policy rules run over every rendered document of every env, by family. Each rule has a
 * stable id, a one-line rationale and a fix hint; it reports every violation it finds.
 */
import { ACCESS_RULES } from './access';
import { CONTENT_RULES } from './content';
import { NAMING_RULES } from './naming';
import { OPERATIONS_RULES } from './operations';
import { POD_SECURITY_RULES } from './pod-security';
import { Rule } from './rule';
import { WIRING_RULES } from './wiring';

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [...NAMING_RULES, ...POD_SECURITY_RULES, ...CONTENT_RULES, ...WIRING_RULES, ...OPERATIONS_RULES, ...ACCESS_RULES];
