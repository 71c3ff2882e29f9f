import { describe, expect, it } from 'vitest';
import { loadCoreConfig, processRulesFrom } from '../../src/config/core.js';
import type { Notice } from '../../src/domain/machine.js';
import { type Actor, SYSTEM_ACTOR } from '../../src/domain/roles.js';
import {
  createSubmissionMachine,
  SUBMISSION_EVENT_LABELS,
  SUBMISSION_EVENTS,
  type SubmissionEvent,
  type SubmissionEventType,
  type SubmissionNoticeTopic,
  type SubmissionState,
  type SubmissionStatus,
  type SubmissionTransitionResult,
} from '../../src/domain/submission-machine.js';

const rules = processRulesFrom(loadCoreConfig({}));
const machine = createSubmissionMachine(rules);

const alice: Actor = { id: 'U_ALICE', roles: ['staff'] };
const bob: Actor = { id: 'U_BOB', roles: ['staff'] };
const contact: Actor = { id: 'U_CONTACT', roles: ['contact'] };
const checker = SYSTEM_ACTOR;

const DAY = 86_400_000;
/** Mon 2027-03-01 10:00 in Amsterdam: five working days later ends at midnight after Mon 03-08. */
const SUBMITTED = new Date('2027-03-01T09:00:00Z');
const DUE = new Date('2027-03-08T23:00:00Z');
/** Wed 2027-03-03 10:00 in Amsterdam. */
const AT = new Date('2027-03-03T09:00:00Z');

function validEvent(type: SubmissionEventType, expectedVersion: number): SubmissionEvent {
  switch (type) {
    case 'reject':
      return { type, expectedVersion, reason: 'Not a UMD product' };
    case 'wait_for_provider':
      return { type, expectedVersion, needed: 'A link to the signed repository' };
    case 'inject':
    case 'resume':
      return { type, expectedVersion };
  }
}

function expectApplied(result: SubmissionTransitionResult) {
  if (result.outcome !== 'applied') {
    throw new Error(`expected the event to be applied, got ${JSON.stringify(result)}`);
  }
  return result;
}

function expectRefused(result: SubmissionTransitionResult) {
  if (result.outcome !== 'refused') throw new Error(`expected a refusal, got ${result.outcome}`);
  return result.refusal;
}

const fire = (state: SubmissionState, type: SubmissionEventType, when: Date, actor = alice) =>
  machine.transition(state, validEvent(type, state.version), actor, when);

const SETUPS = {
  open: [],
  waiting: ['wait_for_provider'],
  solved: ['inject'],
  rejected: ['reject'],
  'rejected while waiting': ['wait_for_provider', 'reject'],
} as const satisfies Record<string, readonly SubmissionEventType[]>;
type SetupName = keyof typeof SETUPS;
const SETUP_NAMES = Object.keys(SETUPS) as SetupName[];

/** Walks from a new submission through `steps`, one day apart (Tue 03-02, Wed 03-03, ...). */
function walk(steps: readonly SubmissionEventType[]): SubmissionState {
  return steps.reduce(
    (state, type, i) => expectApplied(fire(state, type, new Date(SUBMITTED.getTime() + (i + 1) * DAY))).state,
    machine.initialState(SUBMITTED),
  );
}

const LABEL_OF: { readonly [K in SubmissionStatus]: string } = {
  open: 'Open',
  waiting_for_provider: 'Waiting for provider',
  solved: 'Solved',
  rejected: 'Rejected',
};

type Clock = 'kept' | 'resumed' | 'none';
interface Move {
  readonly to: SubmissionStatus;
  readonly notices: readonly Notice<SubmissionNoticeTopic>[];
  readonly clock: Clock;
}
const team = (topic: SubmissionNoticeTopic): Notice<SubmissionNoticeTopic> => ({
  audience: 'product_team',
  topic,
});
const REJECT: Move = { to: 'rejected', notices: [team('submission_rejected')], clock: 'none' };

/** The process written out by hand, not read from SUBMISSION_TABLE. */
const EXPECTED: { readonly [K in SetupName]: { readonly [E in SubmissionEventType]?: Move } } = {
  open: {
    inject: { to: 'solved', notices: [team('injected')], clock: 'none' },
    reject: REJECT,
    wait_for_provider: { to: 'waiting_for_provider', notices: [team('submission_waiting')], clock: 'kept' },
  },
  waiting: { resume: { to: 'open', notices: [], clock: 'resumed' }, reject: REJECT },
  solved: {},
  rejected: {},
  'rejected while waiting': {},
};

const ALLOWED_CASES = SETUP_NAMES.flatMap((setup) =>
  (Object.entries(EXPECTED[setup]) as [SubmissionEventType, Move][]).map(([event, move]) => ({
    setup,
    event,
    ...move,
  })),
);
const REFUSED_CASES = SETUP_NAMES.flatMap((setup) =>
  SUBMISSION_EVENTS.filter((event) => EXPECTED[setup][event] === undefined).map((event) => ({
    setup,
    event,
  })),
);
const sorted = <T>(items: readonly T[]) => [...items].sort();

describe('a new submission', () => {
  it('when a release is submitted on Mon 2027-03-01 10:00 Amsterdam, then it is Open and must be injected by the end of Mon 03-08', () => {
    const state = machine.initialState(SUBMITTED);
    expect(state).toEqual({
      status: 'open',
      version: 1,
      enteredAt: SUBMITTED,
      deadline: DUE,
      pausedMs: 0,
      waitingFrom: null,
      lastChange: null,
      reason: null,
    });
  });

  it("when a release is submitted on Fri 2027-04-23, then King's Day is not counted and injection is due at the end of Mon 05-03", () => {
    const state = machine.initialState(new Date('2027-04-23T07:00:00Z'));
    expect(state.deadline).toEqual(new Date('2027-05-03T22:00:00Z'));
  });

  it('when the UMD team looks at an open submission, then they may inject it, reject it or wait for the provider; nobody else may do anything', () => {
    const state = machine.initialState(SUBMITTED);
    expect(sorted(machine.allowedMoves(state, alice))).toEqual(
      sorted(['inject', 'reject', 'wait_for_provider']),
    );
    expect(machine.allowedMoves(state, contact)).toEqual([]);
    expect(machine.allowedMoves(state, checker)).toEqual([]);
  });
});

describe('every allowed move', () => {
  it.each(ALLOWED_CASES)(
    'when the UMD team fires $event on a submission that is $setup, then it becomes $to',
    ({ setup, event, to, notices, clock }) => {
      const before = walk(SETUPS[setup]);
      const now = new Date('2027-03-05T09:00:00Z');
      const result = expectApplied(machine.transition(before, validEvent(event, before.version), alice, now));

      expect(result.from).toBe(before.status);
      expect(result.state.status).toBe(to);
      expect(result.state.version).toBe(before.version + 1);
      expect(result.state.enteredAt).toEqual(now);
      expect(result.state.lastChange).toEqual({ by: alice.id, event, to, at: now });
      expect(result.notices).toEqual(notices);
      expect(result.state.waitingFrom).toBe(to === 'waiting_for_provider' ? before.status : null);
      switch (clock) {
        case 'kept':
          expect(result.state.deadline).toEqual(before.deadline);
          break;
        case 'resumed': {
          // Waited from Tue 03-02 10:00 to Fri 03-05 10:00: three days are added to the end of Mon 03-08.
          expect(result.state.deadline).toEqual(new Date('2027-03-11T23:00:00Z'));
          expect(result.state.pausedMs).toBe(3 * DAY);
          break;
        }
        case 'none':
          expect(result.state.deadline).toBeNull();
          break;
      }
    },
  );

  it.each(SETUP_NAMES)(
    'when the UMD team looks at a submission that is %s, then they are offered exactly the moves of the process',
    (setup) => {
      const state = walk(SETUPS[setup]);
      expect(sorted(machine.allowedMoves(state, alice))).toEqual(sorted(Object.keys(EXPECTED[setup])));
    },
  );
});

describe('every move not allowed in the current status', () => {
  it.each(REFUSED_CASES)(
    'when the UMD team fires $event on a submission that is $setup, then it is refused as wrong_status listing the allowed moves',
    ({ setup, event }) => {
      const before = walk(SETUPS[setup]);
      const result = fire(before, event, AT);
      const refusal = expectRefused(result);
      expect(result.state).toBe(before);
      expect(refusal.kind).toBe('wrong_status');
      expect(refusal.currentStatus).toBe(before.status);
      const allowed = Object.keys(EXPECTED[setup]) as SubmissionEventType[];
      expect(sorted(refusal.allowedMoves)).toEqual(sorted(allowed));
      expect(refusal.message).toContain(
        `The submission is ${LABEL_OF[before.status]}, so “${SUBMISSION_EVENT_LABELS[event]}” is not possible.`,
      );
      if (allowed.length === 0) expect(refusal.message).toContain('Allowed moves: none (this is final).');
      for (const move of allowed) expect(refusal.message).toContain(SUBMISSION_EVENT_LABELS[move]);
    },
  );

  it('when the UMD team injects a waiting submission, then they are told to resume or reject it', () => {
    const waiting = walk(SETUPS.waiting);
    expect(expectRefused(fire(waiting, 'inject', AT)).message).toBe(
      'The submission is Waiting for provider, so “Inject” is not possible. Allowed moves: Resume, Reject.',
    );
  });
});

describe('wrong role', () => {
  const WHERE: { readonly [E in SubmissionEventType]: SetupName } = {
    inject: 'open',
    reject: 'open',
    wait_for_provider: 'open',
    resume: 'waiting',
  };
  const cases = SUBMISSION_EVENTS.flatMap((event) =>
    [contact, checker].map((actor) => ({ event, actor, who: actor.roles[0] })),
  );

  it.each(cases)(
    'when a $who fires $event, then it is refused as wrong_role: only the UMD team can',
    ({ event, actor }) => {
      const before = walk(SETUPS[WHERE[event]]);
      const result = fire(before, event, AT, actor);
      const refusal = expectRefused(result);
      expect(result.state).toBe(before);
      expect(refusal.kind).toBe('wrong_role');
      expect(refusal.message).toBe(`Only the UMD team can use “${SUBMISSION_EVENT_LABELS[event]}”.`);
    },
  );
});

describe('outdated version', () => {
  it('when Bob rejects a submission Alice already injected, then he is told Alice moved it to Solved and when', () => {
    const open = machine.initialState(SUBMITTED);
    const solved = expectApplied(fire(open, 'inject', new Date('2027-03-02T13:45:00Z'), alice)).state;
    const result = machine.transition(solved, validEvent('reject', open.version), bob, AT);
    const refusal = expectRefused(result);
    expect(result.state).toBe(solved);
    expect(refusal.kind).toBe('outdated');
    expect(refusal.currentStatus).toBe('solved');
    expect(refusal.movedBy).toEqual({
      by: 'U_ALICE',
      event: 'inject',
      to: 'solved',
      at: new Date('2027-03-02T13:45:00Z'),
    });
    expect(refusal.message).toBe(
      'The submission was moved by U_ALICE to Solved at 2027-03-02 13:45 UTC. It is now Solved; your moves now: none (this is final).',
    );
  });

  it('when someone fires against a version ahead of the submission, then it is refused as outdated and they are asked to refresh', () => {
    const open = machine.initialState(SUBMITTED);
    const refusal = expectRefused(machine.transition(open, validEvent('inject', 5), alice, AT));
    expect(refusal.kind).toBe('outdated');
    expect(refusal.message).toContain('version 1, you had 5');
  });
});

describe('a repeated event (double click)', () => {
  it('when Alice clicks inject twice, then the second click is a no-op with no notices', () => {
    const open = machine.initialState(SUBMITTED);
    const first = expectApplied(fire(open, 'inject', AT));
    const second = machine.transition(first.state, validEvent('inject', open.version), alice, AT);
    expect(second).toEqual({ outcome: 'noop', state: first.state });
    expect(second.state).toBe(first.state);
  });

  it('when Bob clicks inject after Alice did, then it is not a no-op but outdated', () => {
    const open = machine.initialState(SUBMITTED);
    const first = expectApplied(fire(open, 'inject', AT, alice));
    const second = machine.transition(first.state, validEvent('inject', open.version), bob, AT);
    expect(second.outcome).toBe('refused');
  });
});

describe('invalid payload', () => {
  it.each([
    [
      'a rejection with an empty reason',
      { type: 'reject', expectedVersion: 1, reason: '' },
      'Give the reason for rejecting the submission.',
    ],
    [
      'a rejection whose reason is blank',
      { type: 'reject', expectedVersion: 1, reason: ' \t ' },
      'Give the reason for rejecting the submission.',
    ],
    [
      'a wait without saying what is needed',
      { type: 'wait_for_provider', expectedVersion: 1, needed: '' },
      'Give what is needed from the provider.',
    ],
  ] as const)(
    'when the UMD team sends %s, then it is refused as invalid and told what to give',
    (_name, event, problem) => {
      const open = machine.initialState(SUBMITTED);
      const result = machine.transition(open, event, alice, AT);
      const refusal = expectRefused(result);
      expect(result.state).toBe(open);
      expect(refusal.kind).toBe('invalid');
      expect(refusal.problems).toEqual([problem]);
      expect(refusal.message).toBe(problem);
    },
  );

  it('when a submission is rejected with a padded reason, then the trimmed reason is kept', () => {
    const open = machine.initialState(SUBMITTED);
    const result = expectApplied(
      machine.transition(
        open,
        { type: 'reject', expectedVersion: 1, reason: '  Not a UMD product\n' },
        alice,
        AT,
      ),
    );
    expect(result.state.reason).toBe('Not a UMD product');
  });
});

describe('waiting for the provider', () => {
  it('when a submission (due end of Mon 03-08) waits from Wed 03-03 10:00 to Fri 03-05 10:00, then it is due two days later and the wait reason stays', () => {
    const open = machine.initialState(SUBMITTED);
    const waiting = expectApplied(fire(open, 'wait_for_provider', AT)).state;
    expect(waiting.deadline).toEqual(DUE);
    expect(waiting.reason).toBe('A link to the signed repository');

    const resumed = expectApplied(fire(waiting, 'resume', new Date('2027-03-05T09:00:00Z'))).state;
    expect(resumed.status).toBe('open');
    expect(resumed.deadline).toEqual(new Date('2027-03-10T23:00:00Z'));
    expect(resumed.pausedMs).toBe(2 * DAY);
    expect(resumed.reason).toBe('A link to the signed repository');
  });

  it('when a waiting submission is rejected, then it is final without a deadline and the reason is the rejection', () => {
    const waiting = walk(SETUPS.waiting);
    const rejected = expectApplied(fire(waiting, 'reject', AT));
    expect(rejected.state.status).toBe('rejected');
    expect(rejected.state.deadline).toBeNull();
    expect(rejected.state.reason).toBe('Not a UMD product');
    expect(rejected.notices).toEqual([{ audience: 'product_team', topic: 'submission_rejected' }]);
  });
});

describe('final statuses', () => {
  it.each(['solved', 'rejected'] as const)(
    'when a submission is %s, then every event from every role is refused and it is unchanged',
    (setup) => {
      const final = walk(SETUPS[setup]);
      for (const event of SUBMISSION_EVENTS) {
        for (const actor of [alice, contact, checker]) {
          const result = fire(final, event, AT, actor);
          expect(result.outcome).toBe('refused');
          expect(result.state).toBe(final);
        }
      }
    },
  );
});
