/**
 * The part of a state machine that tickets and submissions share: the transition table's shape, the
 * version check that turns double clicks into no-ops, the role and status checks, and the pausing clock.
 * It is pure: it reads `now` from its caller and returns data.
 */
import type { ClockKind } from './clock-kinds.js';
import { type Actor, actorHasAnyRole, type Role } from './roles.js';

/** Who must hear about a change. The service layer turns an audience into Slack recipients. */
export const AUDIENCES = ['product_team', 'umd_channel', 'early_adopters'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface Notice<Topic extends string = string> {
  readonly audience: Audience;
  readonly topic: Topic;
}

export interface MoveRule<S extends string, Topic extends string> {
  readonly roles: readonly Role[];
  /** `previous`: back to the status the item was waiting from. */
  readonly to: S | 'previous';
  readonly notify: readonly Notice<Topic>[];
}

export interface StatusRule<S extends string, E extends string, Topic extends string> {
  readonly label: string;
  /** The clock that starts when an item enters this status; null means the status has no limit. */
  readonly clock: ClockKind | null;
  /** A paused status keeps the deadline it was entered with and adds the paused time on return. */
  readonly pausesClock: boolean;
  readonly final: boolean;
  readonly moves: { readonly [K in E]?: MoveRule<S, Topic> };
}

/** Keyed by every status, so that adding a status without its rule does not compile. */
export type TransitionTable<S extends string, E extends string, Topic extends string> = {
  readonly [K in S]: StatusRule<S, E, Topic>;
};

export interface LastChange<E extends string, S extends string> {
  readonly by: string;
  readonly event: E;
  readonly to: S;
  readonly at: Date;
}

/** What both machines keep about an item's place in the process. */
export interface ClockedState<S extends string, E extends string> {
  readonly status: S;
  /** Goes up by one with every applied change; events name the version they were made against. */
  readonly version: number;
  readonly enteredAt: Date;
  /** When the current status' limit passes (UTC); null for a status without a clock. Kept while paused. */
  readonly deadline: Date | null;
  /** Total time spent paused, in milliseconds. */
  readonly pausedMs: number;
  /** While paused: the status to return to. */
  readonly waitingFrom: S | null;
  readonly lastChange: LastChange<E, S> | null;
}

export interface BaseEvent<E extends string> {
  readonly type: E;
  readonly expectedVersion: number;
}

/** Something missing or wrong in what an event carries (a reason, a link), and which field it is. */
export interface PayloadProblem {
  readonly field: string;
  readonly message: string;
}

export type RefusalKind = 'wrong_role' | 'wrong_status' | 'outdated' | 'invalid';

export interface Refusal<S extends string, E extends string> {
  readonly kind: RefusalKind;
  /** A sentence for the person who tried, saying what to do instead. */
  readonly message: string;
  readonly currentStatus: S;
  readonly allowedMoves: readonly E[];
  /** For `outdated`: the change that made the event stale. */
  readonly movedBy?: LastChange<E, S>;
  /** Slack user ids the message names, which Slack may show as mentions (the message itself is plain text). */
  readonly people?: readonly string[];
  /** For `invalid`: one sentence per problem. */
  readonly problems?: readonly string[];
  /** For `invalid`: the same problems, each with the field of the event it is about. */
  readonly fieldProblems?: readonly PayloadProblem[];
}

export type TransitionResult<State, S extends string, E extends string, Topic extends string> =
  | {
      readonly outcome: 'applied';
      readonly state: State;
      readonly from: S;
      readonly notices: readonly Notice<Topic>[];
    }
  /** The same actor repeated an event that was already applied (a double click): nothing changes. */
  | { readonly outcome: 'noop'; readonly state: State }
  | { readonly outcome: 'refused'; readonly state: State; readonly refusal: Refusal<S, E> };

export interface MachineSpec<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Topic extends string,
> {
  readonly subject: string;
  readonly table: TransitionTable<S, E, Topic>;
  readonly eventLabels: { readonly [K in E]: string };
  /** The moves allowed now; a status such as Delayed borrows moves from where it came from. */
  readonly movesOf: (state: State) => { readonly [K in E]?: MoveRule<S, Topic> };
  readonly deadlineFor: (clock: ClockKind, start: Date) => Date;
}

/** `2027-03-10 23:00 UTC`: how every message, log and command line writes an instant when not in a zone. */
export function formatInstant(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function listMoves<E extends string>(
  moves: readonly E[],
  labels: { readonly [K in E]: string },
  final: boolean,
): string {
  if (moves.length > 0) return moves.map((move) => labels[move]).join(', ');
  return final ? 'none (this is final)' : 'none for you';
}

/** The checks every event goes through, in the order a person would want to hear about them. */
export function checkEvent<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Topic extends string,
>(
  spec: MachineSpec<State, S, E, Topic>,
  state: State,
  event: BaseEvent<E>,
  actor: Actor,
  payloadProblems: readonly PayloadProblem[],
):
  | { readonly ok: true; readonly rule: MoveRule<S, Topic> }
  | { readonly ok: false; readonly result: TransitionResult<State, S, E, Topic> } {
  const moves = spec.movesOf(state);
  const allowedMoves = movesForActor(moves, actor);
  const statusLabel = spec.table[state.status].label;
  // Only a refusal needs the sentence; building it for every applied event would cost the delay check dearly.
  const movesText = () => listMoves(allowedMoves, spec.eventLabels, spec.table[state.status].final);
  const refuse = (kind: RefusalKind, message: string, extra: Partial<Refusal<S, E>> = {}) => ({
    ok: false as const,
    result: {
      outcome: 'refused' as const,
      state,
      refusal: { kind, message, currentStatus: state.status, allowedMoves, ...extra },
    },
  });

  // An event of the other machine (a ticket's move sent to a submission): nothing in this table can answer it.
  if (!Object.hasOwn(spec.eventLabels, event.type)) {
    return refuse('invalid', `${spec.subject} has no move named "${String(event.type).slice(0, 40)}".`);
  }
  // Role first: someone who may never fire this event learns nothing else about the item.
  const mayEverFire = (Object.values(spec.table) as StatusRule<S, E, Topic>[]).some((rule) => {
    const move = rule.moves[event.type];
    return move !== undefined && actorHasAnyRole(actor, move.roles);
  });
  if (!mayEverFire) {
    const roles = new Set(
      (Object.values(spec.table) as StatusRule<S, E, Topic>[]).flatMap(
        (rule) => rule.moves[event.type]?.roles ?? [],
      ),
    );
    const who = roles.has('staff')
      ? 'the UMD team'
      : roles.has('system')
        ? 'the delay checker'
        : 'its contacts';
    return refuse('wrong_role', `Only ${who} can use “${spec.eventLabels[event.type]}”.`);
  }

  if (event.expectedVersion !== state.version) {
    const last = state.lastChange;
    const repeat =
      last !== null &&
      last.by === actor.id &&
      last.event === event.type &&
      event.expectedVersion === state.version - 1;
    if (repeat) return { ok: false, result: { outcome: 'noop', state } };
    // Only a view older than the current version was overtaken by someone's move; a newer one is just wrong.
    const movedBy = last !== null && event.expectedVersion < state.version ? last : undefined;
    const message = movedBy
      ? `${spec.subject} was moved by ${movedBy.by} to ${spec.table[movedBy.to].label} at ${formatInstant(movedBy.at)}. ` +
        `It is now ${statusLabel}; your moves now: ${movesText()}.`
      : `${spec.subject} has changed since you looked (version ${state.version}, you had ${event.expectedVersion}). ` +
        'Refresh and try again.';
    return refuse('outdated', message, movedBy ? { movedBy } : {});
  }

  const rule = moves[event.type];
  if (rule === undefined) {
    return refuse(
      'wrong_status',
      `${spec.subject} is ${statusLabel}, so “${spec.eventLabels[event.type]}” is not possible. ` +
        `Allowed moves: ${movesText()}.`,
    );
  }
  if (!actorHasAnyRole(actor, rule.roles)) {
    return refuse(
      'wrong_role',
      `You cannot use “${spec.eventLabels[event.type]}” while it is ${statusLabel}.`,
    );
  }
  if (payloadProblems.length > 0) {
    const problems = payloadProblems.map((problem) => problem.message);
    return refuse('invalid', problems.join(' '), { problems, fieldProblems: payloadProblems });
  }
  return { ok: true, rule };
}

/** The clock part of entering a status: fresh deadline, paused deadline kept, or paused time added back. */
export function enterStatus<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Topic extends string,
>(
  spec: MachineSpec<State, S, E, Topic>,
  state: State,
  to: S,
  event: E,
  actor: Actor,
  now: Date,
): ClockedState<S, E> {
  const target = spec.table[to];
  const version = state.version + 1;
  const lastChange = { by: actor.id, event, to, at: now };
  if (to === state.status) {
    // A change that keeps the status (an explanation added) leaves its clock alone.
    const { enteredAt, deadline, pausedMs, waitingFrom } = state;
    return { status: to, version, enteredAt, deadline, pausedMs, waitingFrom, lastChange };
  }
  // Each state is written out whole, not as a spread followed by more properties: in Node 20 each property a
  // literal adds after a spread costs about a microsecond (docs/performance.md).
  const { pausedMs } = state;
  if (target.pausesClock) {
    const { deadline, status: waitingFrom } = state;
    return { status: to, version, enteredAt: now, deadline, pausedMs, waitingFrom, lastChange };
  }
  const returning = spec.table[state.status].pausesClock && state.waitingFrom === to;
  if (returning) {
    const pausedFor = Math.max(0, now.getTime() - state.enteredAt.getTime());
    const deadline = state.deadline ? new Date(state.deadline.getTime() + pausedFor) : null;
    return {
      status: to,
      version,
      enteredAt: now,
      deadline,
      pausedMs: pausedMs + pausedFor,
      waitingFrom: null,
      lastChange,
    };
  }
  const deadline = target.clock ? spec.deadlineFor(target.clock, now) : null;
  return { status: to, version, enteredAt: now, deadline, pausedMs, waitingFrom: null, lastChange };
}

/** The events this actor may fire among `moves`. */
export function movesForActor<S extends string, E extends string, Topic extends string>(
  moves: { readonly [K in E]?: MoveRule<S, Topic> },
  actor: Actor,
): E[] {
  return (Object.keys(moves) as E[]).filter((event) => actorHasAnyRole(actor, moves[event]?.roles ?? []));
}

/**
 * Runs the checks and the clock for one event. The caller adds what its own kind of item records about the
 * event (reasons, links) to `clocked`.
 */
export function decide<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Topic extends string,
>(
  spec: MachineSpec<State, S, E, Topic>,
  state: State,
  event: BaseEvent<E>,
  actor: Actor,
  now: Date,
  payloadProblems: readonly PayloadProblem[],
):
  | { readonly ok: false; readonly result: TransitionResult<State, S, E, Topic> }
  | { readonly ok: true; readonly rule: MoveRule<S, Topic>; readonly clocked: ClockedState<S, E> } {
  const checked = checkEvent(spec, state, event, actor, payloadProblems);
  if (!checked.ok) return checked;
  const to = checked.rule.to === 'previous' ? (state.waitingFrom ?? state.status) : checked.rule.to;
  return { ok: true, rule: checked.rule, clocked: enterStatus(spec, state, to, event.type, actor, now) };
}

/** What a check before the event's details are known can answer: go ahead, a repeat, or a refusal. */
export type Precheck<S extends string, E extends string> =
  | { readonly outcome: 'allowed' }
  | { readonly outcome: 'noop' }
  | { readonly outcome: 'refused'; readonly refusal: Refusal<S, E> };

/**
 * Every check of `checkEvent` except the event's payload: whether this actor may fire `type` against
 * `expectedVersion` now. Used when a button is clicked, before the form that collects the payload opens.
 */
export function precheckEvent<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Topic extends string,
>(
  spec: MachineSpec<State, S, E, Topic>,
  state: State,
  type: E,
  expectedVersion: number,
  actor: Actor,
): Precheck<S, E> {
  const checked = checkEvent(spec, state, { type, expectedVersion }, actor, []);
  if (checked.ok) return { outcome: 'allowed' };
  const { result } = checked;
  return result.outcome === 'refused' ? { outcome: 'refused', refusal: result.refusal } : { outcome: 'noop' };
}

/** What a submission's or a ticket's machine offers its use cases. */
export interface Machine<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Event extends BaseEvent<E>,
  Topic extends string,
> {
  readonly initialState: (at: Date) => State;
  readonly transition: (
    state: State,
    event: Event,
    actor: Actor,
    now: Date,
  ) => TransitionResult<State, S, E, Topic>;
  readonly allowedMoves: (state: State, actor: Actor) => E[];
  /** May `actor` fire `type` at `expectedVersion` now? Everything but the payload is checked. */
  readonly precheck: (state: State, type: E, expectedVersion: number, actor: Actor) => Precheck<S, E>;
}

/**
 * A machine from its table (the spec) and the three things that differ between kinds of item: the state it
 * starts in, what is wrong with an event's payload, and what an applied event records besides the clock.
 */
export function createMachine<
  State extends ClockedState<S, E>,
  S extends string,
  E extends string,
  Event extends BaseEvent<E>,
  Topic extends string,
>(
  spec: MachineSpec<State, S, E, Topic>,
  kind: {
    readonly initialState: (at: Date) => State;
    readonly payloadProblems: (event: Event) => readonly PayloadProblem[];
    /** The next state: `clocked` (status, version, clock) with what this event records, from `state`. */
    readonly apply: (state: State, event: Event, clocked: ClockedState<S, E>, now: Date) => State;
  },
): Machine<State, S, E, Event, Topic> {
  return {
    initialState: kind.initialState,
    allowedMoves: (state, actor) => movesForActor(spec.movesOf(state), actor),
    precheck: (state, type, expectedVersion, actor) =>
      precheckEvent(spec, state, type, expectedVersion, actor),
    transition(state, event, actor, now) {
      const decided = decide(spec, state, event, actor, now, kind.payloadProblems(event));
      if (!decided.ok) return decided.result;
      return {
        outcome: 'applied',
        state: kind.apply(state, event, decided.clocked, now),
        from: state.status,
        notices: decided.rule.notify,
      };
    },
  };
}
