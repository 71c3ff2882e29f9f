/**
 * A tracking ticket: one per submission, platform and architecture. Its table is the provisioning process
 * (Unverified → Verification → Staged Rollout → Ready) with its detours: Delayed, Waiting for provider,
 * Rejected and Superseded.
 */
import { Duration } from 'luxon';
import { CLOCK_LABELS } from './clock-kinds.js';
import type { ProcessRules } from './deadlines.js';
import { deadlineFor, describeDuration } from './deadlines.js';
import { parseHttpLink } from './links.js';
import {
  type BaseEvent,
  type ClockedState,
  createMachine,
  formatInstant,
  type Machine,
  type MachineSpec,
  type MoveRule,
  type Notice,
  type PayloadProblem,
  type TransitionResult,
  type TransitionTable,
} from './machine.js';
import {
  DEFAULT_QC_CRITERIA,
  QC_FAILED_FIELD,
  type QcAnswer,
  type QcCriterion,
  qcFailedResults,
  qcPassProblems,
} from './quality-criteria.js';

export const TICKET_STATUSES = [
  'unverified',
  'verification',
  'staged_rollout',
  'ready',
  'delayed',
  'rejected',
  'waiting_for_provider',
  'superseded',
  /** Part of a published UMD/CMD release (its name is the reason): set by publishing the release, not by a move. */
  'released',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_EVENTS = [
  'start_verification',
  'pass_verification',
  'fail_verification',
  'mark_ready',
  'reject',
  'wait_for_provider',
  'resume',
  'supersede',
  'explain_delay',
  'delay',
] as const;
export type TicketEventType = (typeof TICKET_EVENTS)[number];

/** The name of each move, as its button shows it: the one name people see for it, in refusals and replies too. */
export const TICKET_EVENT_LABELS: { readonly [K in TicketEventType]: string } = {
  start_verification: 'Start verification',
  pass_verification: 'Verification passed',
  fail_verification: 'Verification failed',
  mark_ready: 'Ready for release',
  reject: 'Reject',
  wait_for_provider: 'Waiting for provider',
  resume: 'Resume',
  supersede: 'Supersede',
  explain_delay: 'Explain delay',
  delay: 'Mark delayed',
};

export const NOTICE_TOPICS = [
  'staged_rollout_started',
  'early_adopter_announcement',
  /** A platform of a submission already announced to early adopters joins staged rollout later. */
  'early_adopter_platform_added',
  'verification_failed',
  'ready',
  'rejected',
  'waiting',
  'superseded',
  'delayed',
  'delay_explanation_needed',
  'delay_explained',
] as const;
export type TicketNoticeTopic = (typeof NOTICE_TOPICS)[number];

export const DELAY_CATEGORIES = [
  'testbed_unavailable',
  'waiting_on_provider',
  'no_early_adopters',
  'team_capacity',
  'product_problem',
  'other',
] as const;
export type DelayCategory = (typeof DELAY_CATEGORIES)[number];
export const DELAY_CATEGORY_LABELS: { readonly [K in DelayCategory]: string } = {
  testbed_unavailable: 'Testbed unavailable',
  waiting_on_provider: 'Waiting on the provider',
  no_early_adopters: 'No early adopter available',
  team_capacity: 'UMD team capacity',
  product_problem: 'Problem found in the product',
  other: 'Other',
};

/**
 * The category of an explanation as "Explain delay" writes it (`Label: text`, see applyEventData); null for the
 * checker's own automatic explanation or text written otherwise.
 */
export function delayCategoryOf(explanation: string | null): DelayCategory | null {
  if (explanation === null) return null;
  return (
    DELAY_CATEGORIES.find((category) => explanation.startsWith(`${DELAY_CATEGORY_LABELS[category]}: `)) ??
    null
  );
}

export type TicketEvent =
  | BaseEvent<'start_verification'>
  | (BaseEvent<'pass_verification'> & {
      readonly reportUrl: string;
      /** The verifier's answer for each quality criterion (see quality-criteria.ts). */
      readonly qc: readonly QcAnswer[];
    })
  | (BaseEvent<'fail_verification'> & {
      readonly reason: string;
      readonly reportUrl?: string;
      /** The ids of the quality criteria that failed. */
      readonly failedCriteria?: readonly string[];
    })
  | (BaseEvent<'mark_ready'> & { readonly reportUrl?: string })
  | (BaseEvent<'reject'> & { readonly reason: string })
  | (BaseEvent<'wait_for_provider'> & { readonly needed: string })
  | BaseEvent<'resume'>
  | (BaseEvent<'supersede'> & { readonly supersededBy?: string; readonly reason?: string })
  | (BaseEvent<'explain_delay'> & { readonly category: DelayCategory; readonly text: string })
  | BaseEvent<'delay'>;

export interface TicketState extends ClockedState<TicketStatus, TicketEventType> {
  /** While Delayed (or waiting from Delayed): the status whose limit passed. */
  readonly delayedFrom: TicketStatus | null;
  readonly delayExplanation: string | null;
  /** The reason given with the last reject, failure, wait or supersede. */
  readonly reason: string | null;
  readonly verificationReportUrl: string | null;
  readonly stagedRolloutReportUrl: string | null;
}

type Move = MoveRule<TicketStatus, TicketNoticeTopic>;
const toProductTeam = (topic: TicketNoticeTopic): Notice<TicketNoticeTopic> => ({
  audience: 'product_team',
  topic,
});
const staff = (to: Move['to'], ...notify: Notice<TicketNoticeTopic>[]): Move => ({
  roles: ['staff'],
  to,
  notify,
});

const reject = staff('rejected', toProductTeam('rejected'));
const waitForProvider = staff('waiting_for_provider', toProductTeam('waiting'));
const supersede = staff('superseded', toProductTeam('superseded'));
const delay: Move = {
  roles: ['system'],
  to: 'delayed',
  notify: [{ audience: 'umd_channel', topic: 'delay_explanation_needed' }, toProductTeam('delayed')],
};

export const TICKET_TABLE = {
  unverified: {
    label: 'Unverified',
    clock: 'unverified',
    pausesClock: false,
    final: false,
    moves: {
      start_verification: staff('verification'),
      wait_for_provider: waitForProvider,
      supersede,
      delay,
    },
  },
  verification: {
    label: 'Verification',
    clock: 'verification',
    pausesClock: false,
    final: false,
    moves: {
      pass_verification: staff('staged_rollout', toProductTeam('staged_rollout_started'), {
        audience: 'early_adopters',
        topic: 'early_adopter_announcement',
      }),
      fail_verification: staff('rejected', toProductTeam('verification_failed')),
      reject,
      wait_for_provider: waitForProvider,
      supersede,
      delay,
    },
  },
  staged_rollout: {
    label: 'Staged Rollout',
    clock: 'staged_rollout',
    pausesClock: false,
    final: false,
    moves: {
      mark_ready: staff('ready', toProductTeam('ready')),
      reject,
      wait_for_provider: waitForProvider,
      supersede,
      delay,
    },
  },
  // Delayed also takes the moves of the status it came from, except the checker's (see movesOf).
  delayed: {
    label: 'Delayed',
    clock: null,
    pausesClock: false,
    final: false,
    moves: {
      explain_delay: staff('delayed', toProductTeam('delay_explained')),
      reject,
      wait_for_provider: waitForProvider,
      supersede,
    },
  },
  waiting_for_provider: {
    label: 'Waiting for provider',
    clock: null,
    pausesClock: true,
    final: false,
    moves: { resume: staff('previous'), supersede },
  },
  ready: { label: 'Ready', clock: null, pausesClock: false, final: true, moves: {} },
  rejected: { label: 'Rejected', clock: null, pausesClock: false, final: true, moves: {} },
  superseded: { label: 'Superseded', clock: null, pausesClock: false, final: true, moves: {} },
  released: { label: 'Released', clock: null, pausesClock: false, final: true, moves: {} },
} as const satisfies TransitionTable<TicketStatus, TicketEventType, TicketNoticeTopic>;

/** The statuses whose limit can pass (the delay check reads only these). */
export const CLOCKED_TICKET_STATUSES = TICKET_STATUSES.filter(
  (status) => TICKET_TABLE[status].clock !== null,
);
/** The statuses of a ticket still in the process. */
export const OPEN_TICKET_STATUSES = TICKET_STATUSES.filter((status) => !TICKET_TABLE[status].final);

type Moves = { readonly [K in TicketEventType]?: Move };

/** Early adopters test it: in staged rollout, or delayed there (a late rollout is still a rollout). */
export function isInStagedRollout(state: Pick<TicketState, 'status' | 'delayedFrom'>): boolean {
  return (
    state.status === 'staged_rollout' ||
    (state.status === 'delayed' && state.delayedFrom === 'staged_rollout')
  );
}

export function ticketMovesOf(state: Pick<TicketState, 'status' | 'delayedFrom'>): Moves {
  const own: Moves = TICKET_TABLE[state.status].moves;
  if (state.status !== 'delayed' || state.delayedFrom === null) return own;
  const inherited = Object.entries(TICKET_TABLE[state.delayedFrom].moves as Moves).filter(
    ([, move]) => !move.roles.includes('system'),
  );
  return { ...Object.fromEntries(inherited), ...own };
}

function payloadProblems(event: TicketEvent, qcCriteria: readonly QcCriterion[]): PayloadProblem[] {
  const problems: PayloadProblem[] = [];
  const needText = (field: string, value: string | undefined, what: string) => {
    if (value === undefined || value.trim() === '') problems.push({ field, message: `Give ${what}.` });
  };
  const needLink = (field: string, value: string | undefined, what: string, required: boolean) => {
    if (value === undefined || value.trim() === '') {
      if (required) problems.push({ field, message: `Give ${what}: an http(s) link.` });
    } else if (parseHttpLink(value) === null) {
      problems.push({
        field,
        message: `The ${what} must be an http(s) link, such as https://example.org/report.`,
      });
    }
  };
  switch (event.type) {
    case 'pass_verification':
      needLink('reportUrl', event.reportUrl, 'link to the verification report', true);
      problems.push(...qcPassProblems(qcCriteria, event.qc ?? []));
      break;
    case 'fail_verification': {
      needText('reason', event.reason, 'the reason verification failed');
      needLink('reportUrl', event.reportUrl, 'link to the verification report', false);
      const { unknown } = qcFailedResults(qcCriteria, event.failedCriteria ?? []);
      if (unknown.length > 0) {
        problems.push({
          field: QC_FAILED_FIELD,
          message: `${unknown.slice(0, 5).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the quality criteria; choose from the list.`,
        });
      }
      break;
    }
    case 'mark_ready':
      needLink('reportUrl', event.reportUrl, 'link to the staged-rollout report', false);
      break;
    case 'reject':
      needText('reason', event.reason, 'the reason for rejecting it');
      break;
    case 'wait_for_provider':
      needText('needed', event.needed, 'what is needed from the provider');
      break;
    case 'explain_delay':
      if (!DELAY_CATEGORIES.includes(event.category)) {
        problems.push({
          field: 'category',
          message: `Choose a reason category: ${Object.values(DELAY_CATEGORY_LABELS).join(', ')}.`,
        });
      }
      needText('text', event.text, 'the explanation of the delay');
      break;
    case 'start_verification':
    case 'resume':
    case 'supersede':
    case 'delay':
      break;
    default: {
      const unknown: never = event;
      problems.push({ field: 'type', message: `Unknown event ${(unknown as BaseEvent<string>).type}.` });
    }
  }
  return problems;
}

export type TicketTransitionResult = TransitionResult<
  TicketState,
  TicketStatus,
  TicketEventType,
  TicketNoticeTopic
>;

export type TicketMachine = Machine<
  TicketState,
  TicketStatus,
  TicketEventType,
  TicketEvent,
  TicketNoticeTopic
>;

export type TicketSpec = MachineSpec<TicketState, TicketStatus, TicketEventType, TicketNoticeTopic>;

/** The ticket table with its clocks under `rules`: what the machine runs, and what reports replay history with. */
export function ticketSpec(rules: ProcessRules): TicketSpec {
  return {
    subject: 'The ticket',
    table: TICKET_TABLE,
    eventLabels: TICKET_EVENT_LABELS,
    movesOf: ticketMovesOf,
    deadlineFor: (clock, start) => deadlineFor(rules, clock, start),
  };
}

/** The machine under `rules`; Verification's answers are checked against `qcCriteria`. */
export function createTicketMachine(
  rules: ProcessRules,
  qcCriteria: readonly QcCriterion[] = DEFAULT_QC_CRITERIA,
): TicketMachine {
  const spec = ticketSpec(rules);

  const automaticDelayExplanation = (state: TicketState, now: Date): string => {
    const clock = TICKET_TABLE[state.status].clock;
    const deadline = state.deadline ?? now;
    const limit =
      clock === 'unverified' || clock === 'verification' || clock === 'staged_rollout'
        ? rules.limits[clock]
        : null;
    const late = describeDuration(Duration.fromMillis(Math.max(0, now.getTime() - deadline.getTime())));
    const what = clock ? CLOCK_LABELS[clock] : TICKET_TABLE[state.status].label;
    return (
      `The ${what} limit${limit ? ` of ${describeDuration(limit)}` : ''} passed at ${formatInstant(deadline)}` +
      ` and the ticket is ${late === 'no time' ? 'now' : late} late.`
    );
  };

  return createMachine(spec, {
    initialState: (now): TicketState => ({
      status: 'unverified',
      version: 1,
      enteredAt: now,
      deadline: deadlineFor(rules, 'unverified', now),
      pausedMs: 0,
      waitingFrom: null,
      lastChange: null,
      delayedFrom: null,
      delayExplanation: null,
      reason: null,
      verificationReportUrl: null,
      stagedRolloutReportUrl: null,
    }),
    payloadProblems: (event) => payloadProblems(event, qcCriteria),
    apply(state, event, clocked, now) {
      const to = clocked.status;
      const next: TicketState = {
        ...state,
        ...clocked,
        delayedFrom: to === 'delayed' || to === 'waiting_for_provider' ? state.delayedFrom : null,
        delayExplanation: to === 'delayed' || to === 'waiting_for_provider' ? state.delayExplanation : null,
      };
      return applyEventData(next, state, event, () => automaticDelayExplanation(state, now));
    },
  });
}

function applyEventData(
  next: TicketState,
  previous: TicketState,
  event: TicketEvent,
  automaticExplanation: () => string,
): TicketState {
  switch (event.type) {
    case 'delay':
      return { ...next, delayedFrom: previous.status, delayExplanation: automaticExplanation() };
    case 'explain_delay':
      return { ...next, delayExplanation: `${DELAY_CATEGORY_LABELS[event.category]}: ${event.text.trim()}` };
    case 'pass_verification':
      return { ...next, verificationReportUrl: parseHttpLink(event.reportUrl), reason: null };
    case 'fail_verification':
      return {
        ...next,
        reason: event.reason.trim(),
        verificationReportUrl: event.reportUrl
          ? parseHttpLink(event.reportUrl)
          : previous.verificationReportUrl,
      };
    case 'mark_ready':
      return { ...next, stagedRolloutReportUrl: event.reportUrl ? parseHttpLink(event.reportUrl) : null };
    case 'reject':
      return { ...next, reason: event.reason.trim() };
    case 'wait_for_provider':
      return { ...next, reason: event.needed.trim() };
    case 'supersede':
      return {
        ...next,
        reason: event.reason?.trim() || (event.supersededBy ? `Replaced by ${event.supersededBy}` : null),
      };
    case 'start_verification':
    case 'resume':
      return next;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
