/**
 * What every use case needs: the database, the clock, the process rules and the two state machines.
 * Use cases run as one synchronous `immediate` transaction each (better-sqlite3 transactions cannot span an
 * `await`), so the change, its history and its notices commit together or not at all.
 */
import type { Duration } from 'luxon';
import { type CoreConfig, platformNamesFrom, processRulesFrom } from '../config/core.js';
import { type DB, immediate } from '../db/index.js';
import type { ProcessRules } from '../domain/deadlines.js';
import type { Refusal } from '../domain/machine.js';
import type { PlatformNames } from '../domain/platforms.js';
import type { QcCriterion } from '../domain/quality-criteria.js';
import { createSubmissionMachine, type SubmissionMachine } from '../domain/submission-machine.js';
import { createTicketMachine, type TicketMachine } from '../domain/ticket-machine.js';
import { RefusedError } from './errors.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who is asking. Whether they are a product's contact is looked up per product. */
export interface Caller {
  readonly userId: string;
  readonly staff: boolean;
}

/** When the delay checker speaks, and to whom (see the notice keys in src/config/core.ts). */
export interface NoticePolicy {
  readonly delayNoticeHoldMs: number;
  readonly injectionWarningWorkingDays: number;
  readonly warningLead: Duration | null;
  readonly earlyAdopterSilence: Duration | null;
  readonly waitingReminder: Duration | null;
  /** Local time of the daily digest, `HH:MM`. */
  readonly digestTime: string;
  readonly individualWarnings: boolean;
}

export function noticePolicyFrom(config: CoreConfig): NoticePolicy {
  return {
    delayNoticeHoldMs: config.DELAY_NOTICE_HOLD_HOURS * 3_600_000,
    injectionWarningWorkingDays: config.WARNING_LEAD_INJECTION_WORKING_DAYS,
    warningLead: config.WARNING_LEAD,
    earlyAdopterSilence: config.EA_SILENCE_WARNING,
    waitingReminder: config.WAITING_REMINDER,
    digestTime: config.DIGEST_TIME,
    individualWarnings: config.INDIVIDUAL_WARNINGS,
  };
}

export interface ServiceContext {
  readonly db: DB;
  readonly clock: Clock;
  readonly rules: ProcessRules;
  readonly policy: NoticePolicy;
  readonly platforms: readonly string[];
  /** The platforms with the other names people and descriptors write for them (el9 → al9). */
  readonly platformNames: PlatformNames;
  readonly distributions: readonly string[];
  /** The quality criteria Verification checks (`QC_CRITERIA_FILE`). */
  readonly qcCriteria: readonly QcCriterion[];
  readonly tickets: TicketMachine;
  readonly submissions: SubmissionMachine;
  /** The release train: how long before a release date its contents freeze, and when to warn of what may miss it. */
  readonly releases: { readonly cutoff: Duration; readonly warning: Duration | null };
  /**
   * Called at named points inside transactions. Production passes nothing; the crash tests kill the process
   * here to prove that nothing half-written survives.
   */
  readonly onStep?: (step: string) => void;
}

export function createServiceContext(options: {
  readonly db: DB;
  readonly config: CoreConfig;
  readonly clock?: Clock;
  readonly onStep?: (step: string) => void;
}): ServiceContext {
  const rules = processRulesFrom(options.config);
  return {
    db: options.db,
    clock: options.clock ?? systemClock,
    rules,
    policy: noticePolicyFrom(options.config),
    platforms: options.config.PLATFORMS,
    platformNames: platformNamesFrom(options.config),
    distributions: options.config.DISTRIBUTIONS,
    qcCriteria: options.config.QC_CRITERIA_FILE.criteria,
    tickets: createTicketMachine(rules, options.config.QC_CRITERIA_FILE.criteria),
    submissions: createSubmissionMachine(rules),
    releases: { cutoff: options.config.RELEASE_CUTOFF, warning: options.config.RELEASE_WARNING },
    ...(options.onStep ? { onStep: options.onStep } : {}),
  };
}

/** Returned from inside a transaction when the process said no: the refusal row commits, then it is thrown. */
export class Refused {
  constructor(readonly refusal: Refusal<string, string>) {}
}

export function transact<T>(ctx: ServiceContext, work: (tx: DB, now: Date) => T | Refused): T {
  const now = ctx.clock.now();
  const result = immediate(ctx.db, (tx) => work(tx, now));
  if (result instanceof Refused) throw new RefusedError(result.refusal);
  return result;
}
