import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCoreConfig, processRulesFrom } from '../../src/config/core.js';
import type { ClockedState, TransitionResult } from '../../src/domain/machine.js';
import { type Actor, type Role, SYSTEM_ACTOR } from '../../src/domain/roles.js';
import {
  createSubmissionMachine,
  SUBMISSION_STATUSES,
  type SubmissionEvent,
  type SubmissionEventType,
  type SubmissionStatus,
} from '../../src/domain/submission-machine.js';
import {
  createTicketMachine,
  DELAY_CATEGORIES,
  type DelayCategory,
  TICKET_EVENTS,
  TICKET_STATUSES,
  type TicketEvent,
  type TicketEventType,
  type TicketStatus,
} from '../../src/domain/ticket-machine.js';
import { QC_ALL_OK } from '../support/qc.js';

const rules = processRulesFrom(loadCoreConfig({}));
const tickets = createTicketMachine(rules);
const submissions = createSubmissionMachine(rules);

const T0 = new Date('2027-03-01T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const staff: Actor = { id: 'U_STAFF', roles: ['staff'] };

interface Payload {
  readonly text: string;
  readonly category: DelayCategory;
}
const GOOD: Payload = { text: 'https://example.org/report/1', category: 'other' };

function ticketEvent(
  type: TicketEventType,
  expectedVersion: number,
  { text, category }: Payload,
): TicketEvent {
  switch (type) {
    case 'pass_verification':
      return { type, expectedVersion, reportUrl: text, qc: QC_ALL_OK };
    case 'mark_ready':
      return { type, expectedVersion, reportUrl: text };
    case 'fail_verification':
    case 'reject':
      return { type, expectedVersion, reason: text };
    case 'wait_for_provider':
      return { type, expectedVersion, needed: text };
    case 'explain_delay':
      return { type, expectedVersion, category, text };
    case 'supersede':
      return text === '' ? { type, expectedVersion } : { type, expectedVersion, reason: text };
    case 'start_verification':
    case 'resume':
    case 'delay':
      return { type, expectedVersion };
  }
}

function submissionEvent(type: SubmissionEventType, expectedVersion: number, text: string): SubmissionEvent {
  switch (type) {
    case 'reject':
      return { type, expectedVersion, reason: text };
    case 'wait_for_provider':
      return { type, expectedVersion, needed: text };
    case 'inject':
    case 'resume':
      return { type, expectedVersion };
  }
}

/**
 * Breadth-first search from the initial state, using only what the machine itself offers: for each actor, the
 * moves `allowedMoves` lists, fired through `transition`. Returns the shortest path to each status reached.
 */
function explore<State extends ClockedState<S, E>, S extends string, E extends string>(
  initial: State,
  actors: readonly Actor[],
  allowedMoves: (state: State, actor: Actor) => E[],
  transition: (state: State, type: E, actor: Actor, now: Date) => TransitionResult<State, S, E, string>,
  key: (state: State) => string,
): Map<S, E[]> {
  const paths = new Map<S, E[]>([[initial.status, []]]);
  const seen = new Set([key(initial)]);
  const queue: { state: State; path: E[] }[] = [{ state: initial, path: [] }];
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === undefined) break;
    for (const actor of actors) {
      for (const type of allowedMoves(item.state, actor)) {
        const now = new Date(item.state.enteredAt.getTime() + DAY);
        const result = transition(item.state, type, actor, now);
        expect(result.outcome, `${type} is offered to ${actor.id} in ${key(item.state)}`).toBe('applied');
        const path = [...item.path, type];
        if (!paths.has(result.state.status)) paths.set(result.state.status, path);
        if (seen.has(key(result.state))) continue;
        seen.add(key(result.state));
        queue.push({ state: result.state, path });
      }
    }
  }
  return paths;
}

describe('reachability', () => {
  it('when the UMD team and the checker take every move they are offered from a new ticket, then every ticket status is reached (but Released, which publishing a release sets)', () => {
    const paths = explore<ReturnType<typeof tickets.initialState>, TicketStatus, TicketEventType>(
      tickets.initialState(T0),
      [staff, SYSTEM_ACTOR],
      tickets.allowedMoves,
      (state, type, actor, now) =>
        tickets.transition(state, ticketEvent(type, state.version, GOOD), actor, now),
      (state) => `${state.status}/${state.delayedFrom}/${state.waitingFrom}`,
    );
    expect(new Set(paths.keys())).toEqual(new Set(TICKET_STATUSES.filter((status) => status !== 'released')));
    expect(paths.get('ready')).toEqual(['start_verification', 'pass_verification', 'mark_ready']);
    expect(paths.get('delayed')).toEqual(['delay']);
  });

  it('when the UMD team takes every move it is offered from a new submission, then every submission status is reached', () => {
    const paths = explore<ReturnType<typeof submissions.initialState>, SubmissionStatus, SubmissionEventType>(
      submissions.initialState(T0),
      [staff],
      submissions.allowedMoves,
      (state, type, actor, now) =>
        submissions.transition(state, submissionEvent(type, state.version, 'Signed packages'), actor, now),
      (state) => `${state.status}/${state.waitingFrom}`,
    );
    expect(new Set(paths.keys())).toEqual(new Set(SUBMISSION_STATUSES));
    expect(paths.get('solved')).toEqual(['inject']);
  });
});

// --- random event sequences -------------------------------------------------------------------------------

const actorArb = fc
  .oneof(
    { weight: 4, arbitrary: fc.constant<Role>('staff') },
    { weight: 2, arbitrary: fc.constant<Role>('system') },
    { weight: 1, arbitrary: fc.constant<Role>('contact') },
  )
  .chain((role) =>
    role === 'system'
      ? fc.constant(SYSTEM_ACTOR)
      : fc.constantFrom<Actor>({ id: `U_${role}_1`, roles: [role] }, { id: `U_${role}_2`, roles: [role] }),
  );

/** Mostly the current version, sometimes stale (a repeat or someone else's change) or ahead. */
const versionOffsetArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 2 }) },
);

/** Payload text: mostly something every field accepts, often something empty, blank, not a link or random. */
const textArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('https://example.org/report/7', '<https://x.org/r|x.org/r>') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '   ',
      '\n',
      'Need signed packages',
      'not a link',
      'ftp://example.org/r',
      'http://',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);

const timeStepArb = fc.oneof(fc.integer({ min: 0, max: 3 * HOUR }), fc.integer({ min: 0, max: 40 * DAY }));

/**
 * How a step picks its event and actor. `aim` (most steps) fires one of the moves the machine offers to the UMD
 * team or the checker, so that histories get deep; `random` draws the event type and the actor at random;
 * `repeat` is a double click: the last change's actor fires its event again against the version before it.
 * The version (except for a repeat) and the payload are random in every mode.
 */
type Mode = 'aim' | 'random' | 'repeat';
const ticketStepArb = fc.record({
  mode: fc.oneof(
    { weight: 6, arbitrary: fc.constant<Mode>('aim') },
    { weight: 2, arbitrary: fc.constant<Mode>('random') },
    { weight: 1, arbitrary: fc.constant<Mode>('repeat') },
  ),
  pick: fc.nat(),
  type: fc.constantFrom(...TICKET_EVENTS),
  actor: actorArb,
  versionOffset: versionOffsetArb,
  text: textArb,
  category: fc.constantFrom(...DELAY_CATEGORIES),
  advanceMs: timeStepArb,
});

const CLOCKED_TICKET: readonly TicketStatus[] = ['unverified', 'verification', 'staged_rollout'];
const UNCLOCKED_TICKET: readonly TicketStatus[] = ['delayed', 'ready', 'rejected', 'superseded'];
const FINAL_TICKET: readonly TicketStatus[] = ['ready', 'rejected', 'superseded'];

const ENDING: readonly TicketEventType[] = ['reject', 'supersede', 'fail_verification', 'mark_ready'];

/** One of the moves offered now to the UMD team or the checker, fired by an actor of the right role. */
function aimAt(
  state: ReturnType<typeof tickets.initialState>,
  pick: number,
  fallback: Actor,
): { type: TicketEventType; actor: Actor } {
  const staffActor: Actor = fallback.roles.includes('staff') ? fallback : staff;
  const offered = [
    ...tickets.allowedMoves(state, staffActor).map((type) => ({ type, actor: staffActor })),
    ...tickets.allowedMoves(state, SYSTEM_ACTOR).map((type) => ({ type, actor: SYSTEM_ACTOR })),
  ];
  // Moves that end the ticket are taken one time in five, so that most histories go on for a while.
  const goOn = offered.filter(({ type }) => !ENDING.includes(type));
  const from = pick % 5 === 0 || goOn.length === 0 ? offered : goOn;
  return from[Math.floor(pick / 5) % Math.max(1, from.length)] ?? { type: 'resume', actor: fallback };
}

describe('random ticket histories', () => {
  it('when any sequence of events by any role is fired at a ticket, then the machine never throws and keeps its promises', () => {
    fc.assert(
      fc.property(fc.array(ticketStepArb, { minLength: 3, maxLength: 40, size: 'medium' }), (steps) => {
        let now = T0;
        let state = tickets.initialState(now);
        const actors = new Map<string, Actor>();
        let finalStatus: TicketStatus | null = null;
        for (const step of steps) {
          now = new Date(now.getTime() + step.advanceMs);
          const previous = state;
          const last = previous.lastChange;
          const repeat = step.mode === 'repeat' && last !== null;
          const { type, actor } =
            repeat && last !== null
              ? { type: last.event, actor: actors.get(last.by) ?? step.actor }
              : step.mode === 'aim'
                ? aimAt(previous, step.pick, step.actor)
                : step;
          const expectedVersion = repeat ? previous.version - 1 : previous.version + step.versionOffset;
          const event = ticketEvent(type, expectedVersion, step);
          const offered = tickets.allowedMoves(previous, actor).includes(type);
          const result = tickets.transition(previous, event, actor, now);
          state = result.state;
          actors.set(actor.id, actor);

          expect(TICKET_STATUSES).toContain(state.status);
          if (result.outcome === 'applied') {
            expect(offered).toBe(true);
            expect(event.expectedVersion).toBe(previous.version);
            expect(state.version).toBe(previous.version + 1);
            expect(result.from).toBe(previous.status);
            expect(state.lastChange).toEqual({
              by: actor.id,
              event: type,
              to: state.status,
              at: now,
            });
            expect(state.pausedMs).toBeGreaterThanOrEqual(previous.pausedMs);
          } else {
            expect(state).toBe(previous);
            if (repeat) expect(result.outcome).toBe('noop');
            if (result.outcome === 'noop') {
              expect(previous.lastChange?.by).toBe(actor.id);
              expect(previous.lastChange?.event).toBe(type);
              expect(event.expectedVersion).toBe(previous.version - 1);
            } else {
              expect(result.refusal.currentStatus).toBe(previous.status);
              expect(result.refusal.message.length).toBeGreaterThan(0);
              if (result.refusal.kind === 'wrong_role') expect(offered).toBe(false);
              if (offered && event.expectedVersion === previous.version) {
                expect(result.refusal.kind).toBe('invalid');
              }
            }
          }

          if (finalStatus !== null) expect(state.status).toBe(finalStatus);
          if (FINAL_TICKET.includes(state.status)) finalStatus = state.status;

          if (CLOCKED_TICKET.includes(state.status)) expect(state.deadline).toBeInstanceOf(Date);
          if (UNCLOCKED_TICKET.includes(state.status)) expect(state.deadline).toBeNull();
          if (state.status === 'waiting_for_provider') {
            // Waiting keeps the deadline of the status it paused: none when it paused Delayed.
            expect(state.deadline).toEqual(previous.deadline);
            if (state.waitingFrom === 'delayed') expect(state.deadline).toBeNull();
            else expect(CLOCKED_TICKET).toContain(state.waitingFrom);
            if (state.waitingFrom !== 'delayed') expect(state.deadline).toBeInstanceOf(Date);
          }
          if (result.outcome === 'applied' && type === 'resume' && previous.deadline !== null) {
            const waited = now.getTime() - previous.enteredAt.getTime();
            expect(state.deadline).toEqual(new Date(previous.deadline.getTime() + waited));
          }
          if (state.status === 'delayed') expect(CLOCKED_TICKET).toContain(state.delayedFrom);
          if (state.status !== 'delayed' && state.status !== 'waiting_for_provider') {
            expect(state.delayedFrom).toBeNull();
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when staff and the checker only fire moves they are offered, with good payloads, then every event is applied', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ pick: fc.nat(), advanceMs: timeStepArb }), { maxLength: 30 }),
        (steps) => {
          let now = T0;
          let state = tickets.initialState(now);
          for (const { pick, advanceMs } of steps) {
            const offered = [
              ...tickets.allowedMoves(state, staff).map((type) => ({ type, actor: staff })),
              ...tickets.allowedMoves(state, SYSTEM_ACTOR).map((type) => ({ type, actor: SYSTEM_ACTOR })),
            ];
            const choice = offered[pick % Math.max(1, offered.length)];
            if (choice === undefined) {
              expect(FINAL_TICKET).toContain(state.status);
              break;
            }
            now = new Date(now.getTime() + advanceMs);
            const result = tickets.transition(
              state,
              ticketEvent(choice.type, state.version, GOOD),
              choice.actor,
              now,
            );
            expect(result.outcome).toBe('applied');
            state = result.state;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

const submissionStepArb = fc.record({
  type: fc.constantFrom<SubmissionEventType>('inject', 'reject', 'wait_for_provider', 'resume'),
  actor: actorArb,
  versionOffset: versionOffsetArb,
  text: textArb,
  advanceMs: timeStepArb,
});

describe('random submission histories', () => {
  it('when any sequence of events by any role is fired at a submission, then the machine never throws and keeps its promises', () => {
    fc.assert(
      fc.property(fc.array(submissionStepArb, { maxLength: 25 }), (steps) => {
        let now = T0;
        let state = submissions.initialState(now);
        let finalStatus: SubmissionStatus | null = null;
        for (const step of steps) {
          now = new Date(now.getTime() + step.advanceMs);
          const previous = state;
          const event = submissionEvent(step.type, previous.version + step.versionOffset, step.text);
          const offered = submissions.allowedMoves(previous, step.actor).includes(step.type);
          const result = submissions.transition(previous, event, step.actor, now);
          state = result.state;

          expect(SUBMISSION_STATUSES).toContain(state.status);
          if (result.outcome === 'applied') {
            expect(offered).toBe(true);
            expect(state.version).toBe(previous.version + 1);
            expect(state.lastChange).toEqual({
              by: step.actor.id,
              event: step.type,
              to: state.status,
              at: now,
            });
          } else {
            expect(state).toBe(previous);
            if (result.outcome === 'noop') {
              expect(previous.lastChange?.by).toBe(step.actor.id);
              expect(previous.lastChange?.event).toBe(step.type);
              expect(event.expectedVersion).toBe(previous.version - 1);
            } else {
              expect(result.refusal.currentStatus).toBe(previous.status);
              if (result.refusal.kind === 'wrong_role') expect(offered).toBe(false);
              if (offered && event.expectedVersion === previous.version) {
                expect(result.refusal.kind).toBe('invalid');
              }
            }
          }

          if (finalStatus !== null) expect(state.status).toBe(finalStatus);
          if (state.status === 'solved' || state.status === 'rejected') finalStatus = state.status;

          if (state.status === 'open') expect(state.deadline).toBeInstanceOf(Date);
          if (state.status === 'solved' || state.status === 'rejected') expect(state.deadline).toBeNull();
          if (state.status === 'waiting_for_provider') {
            expect(state.deadline).toEqual(previous.deadline);
            expect(state.deadline).toBeInstanceOf(Date);
          }
          if (result.outcome === 'applied' && step.type === 'resume' && previous.deadline !== null) {
            const waited = now.getTime() - previous.enteredAt.getTime();
            expect(state.deadline).toEqual(new Date(previous.deadline.getTime() + waited));
            expect(state.pausedMs).toBe(previous.pausedMs + waited);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
