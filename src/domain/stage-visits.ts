/**
 * An item's history read back as stays in the stages of the process (injection, Unverified, Verification,
 * Staged Rollout), for the process report. The clock is not counted here a second time: the history is replayed
 * through the machines' own `enterStatus`, so each stay's deadline and paused time are exactly what the clock had
 * (a wait for the provider keeps the deadline, and its length is added back on return).
 */
import type { ClockKind } from './clock-kinds.js';
import type { ProcessRules } from './deadlines.js';
import { type ClockedState, enterStatus, type MachineSpec } from './machine.js';
import {
  createSubmissionMachine,
  type SubmissionEventType,
  type SubmissionNoticeTopic,
  type SubmissionState,
  type SubmissionStatus,
  submissionSpec,
} from './submission-machine.js';
import {
  createTicketMachine,
  type DelayCategory,
  delayCategoryOf,
  type TicketEventType,
  type TicketNoticeTopic,
  type TicketState,
  type TicketStatus,
  ticketSpec,
} from './ticket-machine.js';

/** One row of an item's history, oldest first, as the history table keeps it. */
export interface StatusChange {
  readonly event: string;
  readonly fromStatus: string | null;
  readonly toStatus: string | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: Date;
}

/** One stay of an item in one stage, from entering it until it moved to another stage or to an end. */
export interface StageVisit {
  readonly stage: ClockKind;
  readonly enteredAt: Date;
  /** When it left the stage (to the next stage, or rejected, superseded, …); null: still there at `until`. */
  readonly leftAt: Date | null;
  /** The status it left to; null while still there. */
  readonly leftTo: string | null;
  /**
   * The stage's deadline as the clock had it when the stay ended (or at `until`): paused time added, exactly
   * as on return from waiting. A stay that ends while waiting for the provider is counted as if it returned then.
   */
  readonly deadline: Date;
  /** Time in the stage without the time paused waiting for the provider, up to `leftAt` or `until`. */
  readonly activeMs: number;
  /** Left before the deadline; for a stay still open, the deadline is after `until`. */
  readonly withinLimit: boolean;
  /** The delay check marked it delayed (a ticket) or flagged its injection overdue (a submission) during the stay. */
  readonly delayed: boolean;
  /** The category of the last explanation staff gave for the delay; null when none was given. */
  readonly delayCategory: DelayCategory | null;
}

interface Replay<State extends ClockedState<S, E>, S extends string, E extends string, Topic extends string> {
  readonly spec: MachineSpec<State, S, E, Topic>;
  readonly initialState: (at: Date) => State;
  /** The event that marks a stay delayed. */
  readonly delayEvent: string;
  readonly resumeEvent: E;
}

/**
 * The stays of one item in each stage, from its history (oldest first, beginning with its creation), as they
 * stood at `until`: changes at or after `until` are not read.
 */
function replay<State extends ClockedState<S, E>, S extends string, E extends string, Topic extends string>(
  how: Replay<State, S, E, Topic>,
  history: readonly StatusChange[],
  until: Date,
): StageVisit[] {
  const { spec } = how;
  const [created, ...changes] = history.filter((change) => change.at < until);
  if (!created || created.fromStatus !== null) return [];
  let state = how.initialState(created.at);
  if (created.toStatus !== state.status) return [];

  const clockOf = (status: S): ClockKind | null => spec.table[status].clock;
  // The clock as it stands at `at`: a paused item counts as if it came back then, by the machine's own rule.
  const clockAt = (at: Date): State => {
    const waitingFrom = state.waitingFrom;
    if (!spec.table[state.status].pausesClock || waitingFrom === null) return state;
    return {
      ...state,
      ...enterStatus(spec, state, waitingFrom, how.resumeEvent, { id: 'report', roles: [] }, at),
    };
  };

  interface OpenStay {
    stage: ClockKind;
    enteredAt: Date;
    pausedMsAtEntry: number;
    deadline: Date;
    delayed: boolean;
    delayCategory: DelayCategory | null;
  }
  const visits: StageVisit[] = [];
  const open = (stage: ClockKind | null, at: Date): OpenStay | null =>
    stage === null || state.deadline === null
      ? null
      : {
          stage,
          enteredAt: at,
          pausedMsAtEntry: state.pausedMs,
          deadline: state.deadline,
          delayed: false,
          delayCategory: null,
        };
  const close = (stay: OpenStay, at: Date, leftTo: string | null): StageVisit => {
    const clock = clockAt(at);
    // While Delayed the clock has no deadline: the stage's is the last one it had.
    const deadline = clockOf(clock.status) === stay.stage && clock.deadline ? clock.deadline : stay.deadline;
    return {
      stage: stay.stage,
      enteredAt: stay.enteredAt,
      leftAt: leftTo === null ? null : at,
      leftTo,
      deadline,
      activeMs: at.getTime() - stay.enteredAt.getTime() - (clock.pausedMs - stay.pausedMsAtEntry),
      withinLimit: at < deadline,
      delayed: stay.delayed,
      delayCategory: stay.delayCategory,
    };
  };

  let stay = open(clockOf(state.status), created.at);
  for (const change of changes) {
    const to = change.toStatus as S | null;
    if (to === null || !Object.hasOwn(spec.table, to)) continue;
    if (stay && change.event === how.delayEvent) stay.delayed = true;
    if (stay && change.event === 'explain_delay') stay.delayCategory = delayCategoryOf(change.reason);
    const target = spec.table[to];
    // Delayed and Waiting for provider belong to the stage they were entered from.
    const leavesStage =
      to !== state.status && (target.final || (target.clock !== null && target.clock !== stay?.stage));
    if (stay && leavesStage) {
      visits.push(close(stay, change.at, to));
      stay = null;
    }
    state = {
      ...state,
      ...enterStatus(spec, state, to, change.event as E, { id: change.actor, roles: [] }, change.at),
    };
    if (leavesStage) stay = open(target.clock, change.at);
    else if (stay && clockOf(state.status) === stay.stage && state.deadline) stay.deadline = state.deadline;
  }
  if (stay) visits.push(close(stay, until, null));
  return visits;
}

export type SubjectKind = 'submission' | 'ticket';

/**
 * Reads the stays of a submission (its injection) or a ticket (its stages) from its history, as they stood at
 * `until`. Built once per report: the machines' tables and clocks under `rules`.
 */
export function stageVisitReader(
  rules: ProcessRules,
): (kind: SubjectKind, history: readonly StatusChange[], until: Date) => StageVisit[] {
  const submission: Replay<SubmissionState, SubmissionStatus, SubmissionEventType, SubmissionNoticeTopic> = {
    spec: submissionSpec(rules),
    initialState: createSubmissionMachine(rules).initialState,
    delayEvent: 'injection_overdue',
    resumeEvent: 'resume',
  };
  const ticket: Replay<TicketState, TicketStatus, TicketEventType, TicketNoticeTopic> = {
    spec: ticketSpec(rules),
    initialState: createTicketMachine(rules).initialState,
    delayEvent: 'delay',
    resumeEvent: 'resume',
  };
  return (kind, history, until) =>
    kind === 'submission' ? replay(submission, history, until) : replay(ticket, history, until);
}
