/**
 * A provider's submission of a product release. The UMD team injects it (one ticket per platform) within the
 * injection limit, rejects it, or waits on the provider, which pauses the injection clock.
 */
import { deadlineFor, type ProcessRules } from './deadlines.js';
import {
  type BaseEvent,
  type ClockedState,
  createMachine,
  type Machine,
  type MachineSpec,
  type MoveRule,
  type PayloadProblem,
  type TransitionResult,
  type TransitionTable,
} from './machine.js';

export const SUBMISSION_STATUSES = ['open', 'waiting_for_provider', 'solved', 'rejected'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const SUBMISSION_EVENTS = ['inject', 'reject', 'wait_for_provider', 'resume'] as const;
export type SubmissionEventType = (typeof SUBMISSION_EVENTS)[number];

/** The name of each move, as its button shows it (see TICKET_EVENT_LABELS). */
export const SUBMISSION_EVENT_LABELS: { readonly [K in SubmissionEventType]: string } = {
  inject: 'Inject',
  reject: 'Reject',
  wait_for_provider: 'Waiting for provider',
  resume: 'Resume',
};

export type SubmissionNoticeTopic = 'injected' | 'submission_rejected' | 'submission_waiting';

export type SubmissionEvent =
  | BaseEvent<'inject'>
  | (BaseEvent<'reject'> & { readonly reason: string })
  | (BaseEvent<'wait_for_provider'> & { readonly needed: string })
  | BaseEvent<'resume'>;

export interface SubmissionState extends ClockedState<SubmissionStatus, SubmissionEventType> {
  readonly reason: string | null;
}

type Move = MoveRule<SubmissionStatus, SubmissionNoticeTopic>;
const reject: Move = {
  roles: ['staff'],
  to: 'rejected',
  notify: [{ audience: 'product_team', topic: 'submission_rejected' }],
};

export const SUBMISSION_TABLE = {
  open: {
    label: 'Open',
    clock: 'injection',
    pausesClock: false,
    final: false,
    moves: {
      inject: { roles: ['staff'], to: 'solved', notify: [{ audience: 'product_team', topic: 'injected' }] },
      reject,
      wait_for_provider: {
        roles: ['staff'],
        to: 'waiting_for_provider',
        notify: [{ audience: 'product_team', topic: 'submission_waiting' }],
      },
    },
  },
  waiting_for_provider: {
    label: 'Waiting for provider',
    clock: null,
    pausesClock: true,
    final: false,
    moves: { resume: { roles: ['staff'], to: 'previous', notify: [] }, reject },
  },
  solved: { label: 'Solved', clock: null, pausesClock: false, final: true, moves: {} },
  rejected: { label: 'Rejected', clock: null, pausesClock: false, final: true, moves: {} },
} as const satisfies TransitionTable<SubmissionStatus, SubmissionEventType, SubmissionNoticeTopic>;

/** The statuses of a submission not injected yet (nor rejected): it stands for itself in lists. */
export const OPEN_SUBMISSION_STATUSES = SUBMISSION_STATUSES.filter(
  (status) => !SUBMISSION_TABLE[status].final,
);

/** Contacts and staff submit; `submit` is the start of a submission rather than a move in the table. */
export const SUBMITTER_ROLES = ['contact', 'staff'] as const;

function payloadProblems(event: SubmissionEvent): PayloadProblem[] {
  switch (event.type) {
    case 'reject':
      return (event.reason ?? '').trim() === ''
        ? [{ field: 'reason', message: 'Give the reason for rejecting the submission.' }]
        : [];
    case 'wait_for_provider':
      return (event.needed ?? '').trim() === ''
        ? [{ field: 'needed', message: 'Give what is needed from the provider.' }]
        : [];
    case 'inject':
    case 'resume':
      return [];
    default: {
      const unknown: never = event;
      return [{ field: 'type', message: `Unknown event ${(unknown as BaseEvent<string>).type}.` }];
    }
  }
}

export type SubmissionTransitionResult = TransitionResult<
  SubmissionState,
  SubmissionStatus,
  SubmissionEventType,
  SubmissionNoticeTopic
>;

export type SubmissionMachine = Machine<
  SubmissionState,
  SubmissionStatus,
  SubmissionEventType,
  SubmissionEvent,
  SubmissionNoticeTopic
>;

export type SubmissionSpec = MachineSpec<
  SubmissionState,
  SubmissionStatus,
  SubmissionEventType,
  SubmissionNoticeTopic
>;

/** The submission table with its clock under `rules` (see ticketSpec). */
export function submissionSpec(rules: ProcessRules): SubmissionSpec {
  return {
    subject: 'The submission',
    table: SUBMISSION_TABLE,
    eventLabels: SUBMISSION_EVENT_LABELS,
    movesOf: (state) => SUBMISSION_TABLE[state.status].moves,
    deadlineFor: (clock, start) => deadlineFor(rules, clock, start),
  };
}

export function createSubmissionMachine(rules: ProcessRules): SubmissionMachine {
  const spec = submissionSpec(rules);
  return createMachine(spec, {
    initialState: (submittedAt): SubmissionState => ({
      status: 'open',
      version: 1,
      enteredAt: submittedAt,
      deadline: deadlineFor(rules, 'injection', submittedAt),
      pausedMs: 0,
      waitingFrom: null,
      lastChange: null,
      reason: null,
    }),
    payloadProblems,
    apply: (state, event, clocked) => ({
      ...clocked,
      reason:
        event.type === 'reject'
          ? event.reason.trim()
          : event.type === 'wait_for_provider'
            ? event.needed.trim()
            : state.reason,
    }),
  });
}
