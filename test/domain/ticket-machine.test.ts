import { describe, expect, it } from 'vitest';
import { loadCoreConfig, processRulesFrom } from '../../src/config/core.js';
import type { Notice } from '../../src/domain/machine.js';
import { type Actor, SYSTEM_ACTOR } from '../../src/domain/roles.js';
import {
  createTicketMachine,
  TICKET_EVENT_LABELS,
  TICKET_EVENTS,
  type TicketEvent,
  type TicketEventType,
  type TicketNoticeTopic,
  type TicketState,
  type TicketStatus,
  type TicketTransitionResult,
} from '../../src/domain/ticket-machine.js';
import { QC_ALL_OK } from '../support/qc.js';

const rules = processRulesFrom(loadCoreConfig({}));
const machine = createTicketMachine(rules);

const alice: Actor = { id: 'U_ALICE', roles: ['staff'] };
const bob: Actor = { id: 'U_BOB', roles: ['staff'] };
const contact: Actor = { id: 'U_CONTACT', roles: ['contact'] };
const checker = SYSTEM_ACTOR;

/** Mon 2027-03-01 10:00 in Amsterdam. */
const T0 = new Date('2027-03-01T09:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);
/** Tue 2027-04-20 10:00 in Amsterdam (summer time): when the event under test happens. */
const AT = new Date('2027-04-20T08:00:00Z');

/** An event of this type with a payload the machine accepts. */
function validEvent(type: TicketEventType, expectedVersion: number): TicketEvent {
  switch (type) {
    case 'pass_verification':
      return { type, expectedVersion, reportUrl: 'https://example.org/verification/42', qc: QC_ALL_OK };
    case 'fail_verification':
      return { type, expectedVersion, reason: 'Packages do not install on el9' };
    case 'mark_ready':
      return { type, expectedVersion, reportUrl: 'https://example.org/rollout/42' };
    case 'reject':
      return { type, expectedVersion, reason: 'Duplicate of another release' };
    case 'wait_for_provider':
      return { type, expectedVersion, needed: 'Signed packages' };
    case 'explain_delay':
      return { type, expectedVersion, category: 'testbed_unavailable', text: 'The el9 testbed is down' };
    case 'supersede':
      return { type, expectedVersion, supersededBy: 'release 2.1.0' };
    case 'start_verification':
    case 'resume':
    case 'delay':
      return { type, expectedVersion };
  }
}

/** The actor who is meant to fire this event: the checker for `delay`, the UMD team for everything else. */
const rightActor = (type: TicketEventType): Actor => (type === 'delay' ? checker : alice);

function expectApplied(result: TicketTransitionResult) {
  if (result.outcome !== 'applied') {
    throw new Error(`expected the event to be applied, got ${JSON.stringify(result)}`);
  }
  return result;
}

function expectRefused(result: TicketTransitionResult) {
  if (result.outcome !== 'refused') {
    throw new Error(`expected the event to be refused, got ${result.outcome}`);
  }
  return result.refusal;
}

function fire(state: TicketState, type: TicketEventType, when: Date, actor = rightActor(type)) {
  return machine.transition(state, validEvent(type, state.version), actor, when);
}

/** Walks from a fresh ticket (created at T0) through `steps`, one day apart. */
function walk(steps: readonly TicketEventType[]): TicketState {
  return steps.reduce(
    (state, type, i) => expectApplied(fire(state, type, at(i + 1))).state,
    machine.initialState(T0),
  );
}

const SETUPS = {
  unverified: [],
  verification: ['start_verification'],
  staged_rollout: ['start_verification', 'pass_verification'],
  'delayed from unverified': ['delay'],
  'delayed from verification': ['start_verification', 'delay'],
  'delayed from staged_rollout': ['start_verification', 'pass_verification', 'delay'],
  'waiting from unverified': ['wait_for_provider'],
  'waiting from verification': ['start_verification', 'wait_for_provider'],
  'waiting from staged_rollout': ['start_verification', 'pass_verification', 'wait_for_provider'],
  'waiting from delayed': ['start_verification', 'delay', 'wait_for_provider'],
  ready: ['start_verification', 'pass_verification', 'mark_ready'],
  rejected: ['start_verification', 'reject'],
  superseded: ['supersede'],
} as const satisfies Record<string, readonly TicketEventType[]>;
type SetupName = keyof typeof SETUPS;
const SETUP_NAMES = Object.keys(SETUPS) as SetupName[];

const STATUS_OF: { readonly [K in SetupName]: TicketStatus } = {
  unverified: 'unverified',
  verification: 'verification',
  staged_rollout: 'staged_rollout',
  'delayed from unverified': 'delayed',
  'delayed from verification': 'delayed',
  'delayed from staged_rollout': 'delayed',
  'waiting from unverified': 'waiting_for_provider',
  'waiting from verification': 'waiting_for_provider',
  'waiting from staged_rollout': 'waiting_for_provider',
  'waiting from delayed': 'waiting_for_provider',
  ready: 'ready',
  rejected: 'rejected',
  superseded: 'superseded',
};

const LABEL_OF: { readonly [K in TicketStatus]: string } = {
  unverified: 'Unverified',
  verification: 'Verification',
  staged_rollout: 'Staged Rollout',
  ready: 'Ready',
  delayed: 'Delayed',
  rejected: 'Rejected',
  waiting_for_provider: 'Waiting for provider',
  superseded: 'Superseded',
  released: 'Released',
};

const team = (topic: TicketNoticeTopic): Notice<TicketNoticeTopic> => ({ audience: 'product_team', topic });

/**
 * The process as the issue describes it, written out by hand (not read from TICKET_TABLE):
 * `fresh` starts the new status' limit at AT, `kept` leaves the deadline as it was, `resumed` adds the time spent
 * waiting to the paused deadline, `none` means the new status has no limit.
 */
type Clock =
  | { readonly kind: 'fresh'; readonly deadline: string }
  | { readonly kind: 'kept' | 'resumed' | 'none' };
interface Move {
  readonly to: TicketStatus;
  readonly notices: readonly Notice<TicketNoticeTopic>[];
  readonly clock: Clock;
}

const FRESH_VERIFICATION: Clock = { kind: 'fresh', deadline: '2027-04-27T08:00:00.000Z' };
const FRESH_STAGED_ROLLOUT: Clock = { kind: 'fresh', deadline: '2027-05-20T08:00:00.000Z' };
const NONE: Clock = { kind: 'none' };

const REJECT: Move = { to: 'rejected', notices: [team('rejected')], clock: NONE };
const WAIT: Move = { to: 'waiting_for_provider', notices: [team('waiting')], clock: { kind: 'kept' } };
const SUPERSEDE: Move = { to: 'superseded', notices: [team('superseded')], clock: NONE };
const DELAY: Move = {
  to: 'delayed',
  notices: [{ audience: 'umd_channel', topic: 'delay_explanation_needed' }, team('delayed')],
  clock: NONE,
};
const EXPLAIN: Move = { to: 'delayed', notices: [team('delay_explained')], clock: { kind: 'kept' } };
const START: Move = { to: 'verification', notices: [], clock: FRESH_VERIFICATION };
const PASS: Move = {
  to: 'staged_rollout',
  notices: [
    team('staged_rollout_started'),
    { audience: 'early_adopters', topic: 'early_adopter_announcement' },
  ],
  clock: FRESH_STAGED_ROLLOUT,
};
const FAIL: Move = { to: 'rejected', notices: [team('verification_failed')], clock: NONE };
const READY: Move = { to: 'ready', notices: [team('ready')], clock: NONE };
const resumeTo = (to: TicketStatus): Move => ({
  to,
  notices: [],
  clock: to === 'delayed' ? NONE : { kind: 'resumed' },
});

const EXPECTED: { readonly [K in SetupName]: { readonly [E in TicketEventType]?: Move } } = {
  unverified: { start_verification: START, wait_for_provider: WAIT, supersede: SUPERSEDE, delay: DELAY },
  verification: {
    pass_verification: PASS,
    fail_verification: FAIL,
    reject: REJECT,
    wait_for_provider: WAIT,
    supersede: SUPERSEDE,
    delay: DELAY,
  },
  staged_rollout: {
    mark_ready: READY,
    reject: REJECT,
    wait_for_provider: WAIT,
    supersede: SUPERSEDE,
    delay: DELAY,
  },
  'delayed from unverified': {
    start_verification: START,
    explain_delay: EXPLAIN,
    reject: REJECT,
    wait_for_provider: WAIT,
    supersede: SUPERSEDE,
  },
  'delayed from verification': {
    pass_verification: PASS,
    fail_verification: FAIL,
    explain_delay: EXPLAIN,
    reject: REJECT,
    wait_for_provider: WAIT,
    supersede: SUPERSEDE,
  },
  'delayed from staged_rollout': {
    mark_ready: READY,
    explain_delay: EXPLAIN,
    reject: REJECT,
    wait_for_provider: WAIT,
    supersede: SUPERSEDE,
  },
  'waiting from unverified': { resume: resumeTo('unverified'), supersede: SUPERSEDE },
  'waiting from verification': { resume: resumeTo('verification'), supersede: SUPERSEDE },
  'waiting from staged_rollout': { resume: resumeTo('staged_rollout'), supersede: SUPERSEDE },
  'waiting from delayed': { resume: resumeTo('delayed'), supersede: SUPERSEDE },
  ready: {},
  rejected: {},
  superseded: {},
};

const ALLOWED_CASES = SETUP_NAMES.flatMap((setup) =>
  (Object.entries(EXPECTED[setup]) as [TicketEventType, Move][]).map(([event, move]) => ({
    setup,
    event,
    ...move,
  })),
);

const REFUSED_CASES = SETUP_NAMES.flatMap((setup) =>
  TICKET_EVENTS.filter((event) => EXPECTED[setup][event] === undefined).map((event) => ({ setup, event })),
);

const sorted = <T>(items: readonly T[]) => [...items].sort();

describe('a new ticket', () => {
  it('when a ticket is created on Mon 2027-03-01 10:00 Amsterdam, then it is Unverified at version 1, due a month later at 10:00 summer time', () => {
    const state = machine.initialState(T0);
    expect(state).toMatchObject({
      status: 'unverified',
      version: 1,
      enteredAt: T0,
      pausedMs: 0,
      waitingFrom: null,
      lastChange: null,
      delayedFrom: null,
    });
    expect(state.deadline).toEqual(new Date('2027-04-01T08:00:00Z'));
  });

  it('when the UMD team looks at a new ticket, then they may start verification, wait for the provider or supersede it, and the checker may only delay it', () => {
    const state = machine.initialState(T0);
    expect(sorted(machine.allowedMoves(state, alice))).toEqual(
      sorted(['start_verification', 'wait_for_provider', 'supersede']),
    );
    expect(machine.allowedMoves(state, checker)).toEqual(['delay']);
    expect(machine.allowedMoves(state, contact)).toEqual([]);
  });
});

describe('every allowed move', () => {
  it.each(ALLOWED_CASES)(
    'when $event is fired in $setup, then the ticket goes to $to',
    ({ setup, event, to, notices, clock }) => {
      const before = walk(SETUPS[setup]);
      expect(before.status).toBe(STATUS_OF[setup]);
      const actor = rightActor(event);
      expect(machine.allowedMoves(before, actor)).toContain(event);

      const result = expectApplied(machine.transition(before, validEvent(event, before.version), actor, AT));

      expect(result.from).toBe(before.status);
      expect(result.state.status).toBe(to);
      expect(result.state.version).toBe(before.version + 1);
      expect(result.state.lastChange).toEqual({ by: actor.id, event, to, at: AT });
      expect(result.notices).toEqual(notices);
      expect(result.state.enteredAt).toEqual(to === before.status ? before.enteredAt : AT);

      switch (clock.kind) {
        case 'fresh':
          expect(result.state.deadline).toEqual(new Date(clock.deadline));
          break;
        case 'kept':
          expect(result.state.deadline).toEqual(before.deadline);
          break;
        case 'resumed': {
          if (before.deadline === null) throw new Error('a paused clocked status keeps its deadline');
          const paused = AT.getTime() - before.enteredAt.getTime();
          expect(result.state.deadline).toEqual(new Date(before.deadline.getTime() + paused));
          expect(result.state.pausedMs).toBe(before.pausedMs + paused);
          break;
        }
        case 'none':
          expect(result.state.deadline).toBeNull();
          break;
      }

      expect(result.state.waitingFrom).toBe(to === 'waiting_for_provider' ? before.status : null);
      if (event === 'delay') expect(result.state.delayedFrom).toBe(before.status);
      else if (to === 'delayed' || to === 'waiting_for_provider') {
        expect(result.state.delayedFrom).toBe(before.delayedFrom);
      } else expect(result.state.delayedFrom).toBeNull();
    },
  );

  it.each(SETUP_NAMES)(
    'when the UMD team and the checker look at a ticket in %s, then they are offered exactly the moves of the process',
    (setup) => {
      const state = walk(SETUPS[setup]);
      const offered = [...machine.allowedMoves(state, alice), ...machine.allowedMoves(state, checker)];
      expect(sorted(offered)).toEqual(sorted(Object.keys(EXPECTED[setup])));
      expect(machine.allowedMoves(state, contact)).toEqual([]);
    },
  );
});

describe('every move not allowed in the current status', () => {
  it.each(REFUSED_CASES)(
    'when $event is fired in $setup, then it is refused as wrong_status and the message lists the allowed moves',
    ({ setup, event }) => {
      const before = walk(SETUPS[setup]);
      const actor = rightActor(event);
      const result = machine.transition(before, validEvent(event, before.version), actor, AT);
      const refusal = expectRefused(result);
      expect(result.state).toBe(before);

      // The refusal offers the moves this actor may make: only the checker may mark a ticket delayed.
      const allowed = (Object.keys(EXPECTED[setup]) as TicketEventType[]).filter(
        (move) => (move === 'delay') === actor.roles.includes('system'),
      );
      expect(refusal.kind).toBe('wrong_status');
      expect(refusal.currentStatus).toBe(before.status);
      expect(sorted(refusal.allowedMoves)).toEqual(sorted(allowed));
      expect(refusal.message).toContain(`The ticket is ${LABEL_OF[before.status]}`);
      expect(refusal.message).toContain(`so “${TICKET_EVENT_LABELS[event]}” is not possible`);
      if (Object.keys(EXPECTED[setup]).length === 0) {
        expect(refusal.message).toContain('Allowed moves: none (this is final)');
      } else if (allowed.length === 0) {
        expect(refusal.message).toContain('Allowed moves: none for you');
      } else {
        for (const move of allowed) expect(refusal.message).toContain(TICKET_EVENT_LABELS[move]);
      }
    },
  );

  it('when a staff member tries to start verification on a Ready ticket, then the message says it is final', () => {
    const ready = walk(SETUPS.ready);
    const refusal = expectRefused(fire(ready, 'start_verification', AT));
    expect(refusal.message).toBe(
      'The ticket is Ready, so “Start verification” is not possible. Allowed moves: none (this is final).',
    );
  });

  it('when the checker fires delay at a Delayed ticket, then it is refused and the ticket keeps its explanation', () => {
    const delayed = walk(SETUPS['delayed from verification']);
    const result = fire(delayed, 'delay', AT);
    expect(expectRefused(result).kind).toBe('wrong_status');
    expect(result.state.delayExplanation).toBe(delayed.delayExplanation);
  });
});

describe('wrong role', () => {
  /** A status where the event is allowed, so that only the role is wrong. */
  const WHERE: { readonly [E in TicketEventType]: SetupName } = {
    start_verification: 'unverified',
    pass_verification: 'verification',
    fail_verification: 'verification',
    mark_ready: 'staged_rollout',
    reject: 'verification',
    wait_for_provider: 'verification',
    resume: 'waiting from verification',
    supersede: 'verification',
    explain_delay: 'delayed from verification',
    delay: 'verification',
  };
  const staffEvents = TICKET_EVENTS.filter((event) => event !== 'delay');

  it.each(TICKET_EVENTS)(
    'when a product contact fires %s, then it is refused as wrong_role naming who can',
    (event) => {
      const before = walk(SETUPS[WHERE[event]]);
      const result = machine.transition(before, validEvent(event, before.version), contact, AT);
      const refusal = expectRefused(result);
      expect(result.state).toBe(before);
      expect(refusal.kind).toBe('wrong_role');
      const who = event === 'delay' ? 'the delay checker' : 'the UMD team';
      expect(refusal.message).toBe(`Only ${who} can use “${TICKET_EVENT_LABELS[event]}”.`);
    },
  );

  it.each(staffEvents)(
    'when the delay checker fires %s, then it is refused as wrong_role: only the UMD team can',
    (event) => {
      const before = walk(SETUPS[WHERE[event]]);
      const refusal = expectRefused(
        machine.transition(before, validEvent(event, before.version), checker, AT),
      );
      expect(refusal.kind).toBe('wrong_role');
      expect(refusal.message).toBe(`Only the UMD team can use “${TICKET_EVENT_LABELS[event]}”.`);
    },
  );

  it('when a staff member marks a ticket in Verification delayed, then it is refused: only the delay checker can', () => {
    const before = walk(SETUPS.verification);
    const result = fire(before, 'delay', AT, alice);
    const refusal = expectRefused(result);
    expect(refusal.kind).toBe('wrong_role');
    expect(refusal.message).toBe('Only the delay checker can use “Mark delayed”.');
    expect(result.state).toBe(before);
  });

  it('when a product contact fires with an outdated version, then the refusal is about the role and says nothing of the ticket', () => {
    const before = walk(SETUPS.verification);
    const refusal = expectRefused(machine.transition(before, validEvent('reject', 1), contact, AT));
    expect(refusal.kind).toBe('wrong_role');
    expect(refusal.movedBy).toBeUndefined();
    expect(refusal.message).not.toContain('U_ALICE');
  });
});

describe('outdated version', () => {
  it('when Bob passes verification after Alice already rejected the ticket, then Bob is told Alice moved it to Rejected and when', () => {
    const started = walk(SETUPS.verification);
    const rejected = expectApplied(
      machine.transition(
        started,
        validEvent('reject', started.version),
        alice,
        new Date('2027-03-04T15:30:00Z'),
      ),
    ).state;

    const result = machine.transition(rejected, validEvent('pass_verification', started.version), bob, AT);
    const refusal = expectRefused(result);
    expect(result.state).toBe(rejected);
    expect(refusal.kind).toBe('outdated');
    expect(refusal.currentStatus).toBe('rejected');
    expect(refusal.movedBy).toEqual(rejected.lastChange);
    expect(refusal.message).toContain('moved by U_ALICE to Rejected at 2027-03-04 15:30 UTC');
    expect(refusal.message).toContain('your moves now: none (this is final)');
  });

  it('when Bob starts verification on a version Alice already moved, then it is outdated rather than a repeat', () => {
    const before = machine.initialState(T0);
    const started = expectApplied(fire(before, 'start_verification', at(1), alice)).state;
    const refusal = expectRefused(
      machine.transition(started, validEvent('start_verification', before.version), bob, AT),
    );
    expect(refusal.kind).toBe('outdated');
    expect(refusal.message).toContain('moved by U_ALICE to Verification at 2027-03-02 09:00 UTC');
    expect(refusal.message).toContain('It is now Verification');
    for (const move of ['Verification passed', 'Verification failed', 'Reject', 'Supersede']) {
      expect(refusal.message).toContain(move);
    }
  });

  it('when Bob is told his click is outdated, then the moves he is offered are only ones he may make', () => {
    const started = walk(SETUPS.verification);
    const refusal = expectRefused(
      machine.transition(started, validEvent('reject', started.version - 1), bob, AT),
    );
    expect(refusal.kind).toBe('outdated');
    expect(refusal.message).toContain('Verification passed');
    expect(refusal.message).not.toContain('Mark delayed');
  });

  it('when Alice fires a different event against the version before her own change, then it is outdated, not a no-op', () => {
    const started = walk(SETUPS.verification);
    const refusal = expectRefused(
      machine.transition(started, validEvent('wait_for_provider', started.version - 1), alice, AT),
    );
    expect(refusal.kind).toBe('outdated');
  });

  it('when Alice repeats her event against a version two changes old, then it is outdated', () => {
    const passed = walk(SETUPS.staged_rollout);
    const refusal = expectRefused(
      machine.transition(passed, validEvent('pass_verification', passed.version - 2), alice, AT),
    );
    expect(refusal.kind).toBe('outdated');
    expect(refusal.message).toContain('moved by U_ALICE to Staged Rollout');
  });

  it('when someone fires against a version a new ticket never had, then they are told to refresh', () => {
    const fresh = machine.initialState(T0);
    const refusal = expectRefused(machine.transition(fresh, validEvent('start_verification', 0), alice, AT));
    expect(refusal.kind).toBe('outdated');
    expect(refusal.message).toContain('version 1, you had 0');
    expect(refusal.message).toContain('Refresh');
  });

  it('when the version is outdated and the move is also not allowed, then the staleness is reported first', () => {
    const started = walk(SETUPS.verification);
    const refusal = expectRefused(
      machine.transition(started, validEvent('mark_ready', started.version - 1), bob, AT),
    );
    expect(refusal.kind).toBe('outdated');
  });
});

describe('a repeated event (double click)', () => {
  it('when Alice clicks start verification twice, then the second click is a no-op: same state, no notices', () => {
    const before = machine.initialState(T0);
    const first = expectApplied(fire(before, 'start_verification', at(1), alice));
    const second = machine.transition(
      first.state,
      validEvent('start_verification', before.version),
      alice,
      at(1),
    );
    expect(second).toEqual({ outcome: 'noop', state: first.state });
    expect(second.state).toBe(first.state);
    expect('notices' in second).toBe(false);
  });

  it('when the checker delays the same ticket twice, then the second delay is a no-op and nobody is told twice', () => {
    const before = walk(SETUPS.verification);
    const first = expectApplied(fire(before, 'delay', AT));
    const second = machine.transition(first.state, validEvent('delay', before.version), checker, AT);
    expect(second.outcome).toBe('noop');
    expect(second.state).toBe(first.state);
  });

  it('when Alice submits the same delay explanation twice, then the second is a no-op and the ticket is still at the version after the first', () => {
    const before = walk(SETUPS['delayed from verification']);
    const first = expectApplied(fire(before, 'explain_delay', AT));
    const second = machine.transition(first.state, validEvent('explain_delay', before.version), alice, AT);
    expect(second.outcome).toBe('noop');
    expect(second.state.version).toBe(before.version + 1);
  });
});

describe('invalid payload', () => {
  const cases: readonly {
    readonly name: string;
    readonly setup: SetupName;
    readonly event: (v: number) => TicketEvent;
    readonly problems: readonly string[];
  }[] = [
    {
      name: 'a rejection with an empty reason',
      setup: 'verification',
      event: (v) => ({ type: 'reject', expectedVersion: v, reason: '' }),
      problems: ['Give the reason for rejecting it.'],
    },
    {
      name: 'a rejection whose reason is only spaces',
      setup: 'staged_rollout',
      event: (v) => ({ type: 'reject', expectedVersion: v, reason: '   ' }),
      problems: ['Give the reason for rejecting it.'],
    },
    {
      name: 'a failed verification without a reason',
      setup: 'verification',
      event: (v) => ({ type: 'fail_verification', expectedVersion: v, reason: ' ' }),
      problems: ['Give the reason verification failed.'],
    },
    {
      name: 'a failed verification with no reason and a report that is not a link',
      setup: 'verification',
      event: (v) => ({
        type: 'fail_verification',
        expectedVersion: v,
        reason: '',
        reportUrl: 'ftp://x.org/r',
      }),
      problems: [
        'Give the reason verification failed.',
        'The link to the verification report must be an http(s) link, such as https://example.org/report.',
      ],
    },
    {
      name: 'a passed verification without a report link',
      setup: 'verification',
      event: (v) => ({ type: 'pass_verification', expectedVersion: v, reportUrl: '', qc: QC_ALL_OK }),
      problems: ['Give link to the verification report: an http(s) link.'],
    },
    {
      name: 'a passed verification whose report is not a link',
      setup: 'delayed from verification',
      event: (v) => ({
        type: 'pass_verification',
        expectedVersion: v,
        reportUrl: 'see the wiki',
        qc: QC_ALL_OK,
      }),
      problems: [
        'The link to the verification report must be an http(s) link, such as https://example.org/report.',
      ],
    },
    {
      name: 'marking ready with a report that is not a link',
      setup: 'staged_rollout',
      event: (v) => ({ type: 'mark_ready', expectedVersion: v, reportUrl: 'javascript:alert(1)' }),
      problems: [
        'The link to the staged-rollout report must be an http(s) link, such as https://example.org/report.',
      ],
    },
    {
      name: 'waiting for the provider without saying what is needed',
      setup: 'unverified',
      event: (v) => ({ type: 'wait_for_provider', expectedVersion: v, needed: '' }),
      problems: ['Give what is needed from the provider.'],
    },
    {
      name: 'an empty delay explanation',
      setup: 'delayed from unverified',
      event: (v) => ({ type: 'explain_delay', expectedVersion: v, category: 'other', text: '\n' }),
      problems: ['Give the explanation of the delay.'],
    },
  ];

  it.each(cases)(
    'when the UMD team sends $name, then it is refused as invalid and told what to give',
    ({ setup, event, problems }) => {
      const before = walk(SETUPS[setup]);
      const result = machine.transition(before, event(before.version), alice, AT);
      const refusal = expectRefused(result);
      expect(result.state).toBe(before);
      expect(refusal.kind).toBe('invalid');
      expect(refusal.problems).toEqual(problems);
      expect(refusal.message).toBe(problems.join(' '));
      expect(refusal.currentStatus).toBe(before.status);
    },
  );

  it('when a ticket is marked ready without a report link, then it is Ready with no staged-rollout report', () => {
    const before = walk(SETUPS.staged_rollout);
    const result = expectApplied(
      machine.transition(before, { type: 'mark_ready', expectedVersion: before.version }, alice, AT),
    );
    expect(result.state.status).toBe('ready');
    expect(result.state.stagedRolloutReportUrl).toBeNull();
  });

  it('when the UMD team pastes a Slack-wrapped report link, then the ticket records the plain link', () => {
    const before = walk(SETUPS.verification);
    const result = expectApplied(
      machine.transition(
        before,
        {
          type: 'pass_verification',
          expectedVersion: before.version,
          reportUrl: '<https://x.org/r/1|x.org/r/1>',
          qc: QC_ALL_OK,
        },
        alice,
        AT,
      ),
    );
    expect(result.state.verificationReportUrl).toBe('https://x.org/r/1');
  });

  it('when a ticket is rejected with a padded reason, then the reason is kept trimmed', () => {
    const before = walk(SETUPS.verification);
    const result = expectApplied(
      machine.transition(
        before,
        { type: 'reject', expectedVersion: before.version, reason: '  Not signed \n' },
        alice,
        AT,
      ),
    );
    expect(result.state.reason).toBe('Not signed');
  });

  it('when a ticket is superseded by another release without a reason, then its reason names the replacement', () => {
    const before = walk(SETUPS.unverified);
    const result = expectApplied(
      machine.transition(
        before,
        { type: 'supersede', expectedVersion: 1, supersededBy: 'release 2.1.0' },
        alice,
        AT,
      ),
    );
    expect(result.state.reason).toBe('Replaced by release 2.1.0');
  });
});

describe('the delay and its explanation', () => {
  it('when the checker delays a ticket in Verification, then it is Delayed without a clock and the explanation names the 7-day limit and how late it is', () => {
    // Verification entered Mon 2027-03-01 10:00 Amsterdam, so its 7 days end on 2027-03-08 09:00 UTC.
    const verification = expectApplied(
      fire(machine.initialState(new Date('2027-02-20T09:00:00Z')), 'start_verification', T0),
    ).state;
    expect(verification.deadline).toEqual(new Date('2027-03-08T09:00:00Z'));

    const result = expectApplied(fire(verification, 'delay', new Date('2027-03-10T12:30:00Z')));
    expect(result.state.status).toBe('delayed');
    expect(result.state.deadline).toBeNull();
    expect(result.state.delayedFrom).toBe('verification');
    expect(result.state.delayExplanation).toBe(
      'The Verification limit of 7 days passed at 2027-03-08 09:00 UTC and the ticket is 2 days 3 hours late.',
    );
    expect(result.notices).toEqual([
      { audience: 'umd_channel', topic: 'delay_explanation_needed' },
      { audience: 'product_team', topic: 'delayed' },
    ]);
  });

  it('when the checker delays an Unverified ticket the moment its month ends, then the explanation names the month and says it is now late', () => {
    const fresh = machine.initialState(T0);
    const result = expectApplied(fire(fresh, 'delay', new Date('2027-04-01T08:00:00Z')));
    expect(result.state.delayExplanation).toBe(
      'The Unverified limit of 1 month passed at 2027-04-01 08:00 UTC and the ticket is now late.',
    );
  });

  it('when the UMD team explains the delay, then the ticket stays Delayed from the same status, with its clock, and the product team hears', () => {
    const delayed = walk(SETUPS['delayed from staged_rollout']);
    const result = expectApplied(
      machine.transition(
        delayed,
        {
          type: 'explain_delay',
          expectedVersion: delayed.version,
          category: 'no_early_adopters',
          text: ' Nobody runs el8 ',
        },
        alice,
        AT,
      ),
    );
    expect(result.state.status).toBe('delayed');
    expect(result.state.delayedFrom).toBe('staged_rollout');
    expect(result.state.enteredAt).toEqual(delayed.enteredAt);
    expect(result.state.deadline).toBeNull();
    expect(result.state.delayExplanation).toBe('No early adopter available: Nobody runs el8');
    expect(result.notices).toEqual([{ audience: 'product_team', topic: 'delay_explained' }]);
    expect(machine.allowedMoves(result.state, alice)).toContain('mark_ready');
  });

  it('when the UMD team waits for the provider from Delayed and then resumes, then the ticket is Delayed again from the same status with its explanation', () => {
    const delayed = walk(SETUPS['delayed from verification']);
    const waiting = expectApplied(fire(delayed, 'wait_for_provider', AT)).state;
    expect(waiting.status).toBe('waiting_for_provider');
    expect(waiting.waitingFrom).toBe('delayed');
    expect(waiting.delayedFrom).toBe('verification');

    const resumed = expectApplied(fire(waiting, 'resume', new Date('2027-04-22T08:00:00Z'))).state;
    expect(resumed.status).toBe('delayed');
    expect(resumed.delayedFrom).toBe('verification');
    expect(resumed.delayExplanation).toBe(delayed.delayExplanation);
    expect(resumed.deadline).toBeNull();
    expect(resumed.waitingFrom).toBeNull();
    expect(sorted(machine.allowedMoves(resumed, alice))).toEqual(
      sorted([
        'pass_verification',
        'fail_verification',
        'explain_delay',
        'reject',
        'wait_for_provider',
        'supersede',
      ]),
    );
  });

  it('when a Delayed ticket passes verification, then Staged Rollout starts a fresh month and the delay is forgotten', () => {
    const delayed = walk(SETUPS['delayed from verification']);
    const result = expectApplied(fire(delayed, 'pass_verification', new Date('2027-03-15T09:00:00Z')));
    expect(result.state.status).toBe('staged_rollout');
    // A month after 10:00 winter time is 10:00 summer time.
    expect(result.state.deadline).toEqual(new Date('2027-04-15T08:00:00Z'));
    expect(result.state.delayedFrom).toBeNull();
    expect(result.state.delayExplanation).toBeNull();
    expect(result.state.verificationReportUrl).toBe('https://example.org/verification/42');
  });

  it('when a ticket Delayed in Unverified starts verification, then it gets a fresh 7-day Verification clock', () => {
    const delayed = walk(SETUPS['delayed from unverified']);
    const result = expectApplied(fire(delayed, 'start_verification', AT));
    expect(result.state.status).toBe('verification');
    expect(result.state.deadline).toEqual(new Date('2027-04-27T08:00:00Z'));
    expect(result.state.delayedFrom).toBeNull();
  });
});

describe('waiting for the provider', () => {
  it('when Verification (entered Mon 2027-03-01 10:00) is paused Wed 03-03 10:00 and resumed Fri 03-05 10:00, then it is due 2027-03-10T09:00Z', () => {
    const verification = expectApplied(
      fire(machine.initialState(new Date('2027-02-22T09:00:00Z')), 'start_verification', T0),
    ).state;
    const waiting = expectApplied(fire(verification, 'wait_for_provider', new Date('2027-03-03T09:00:00Z')));
    expect(waiting.state.status).toBe('waiting_for_provider');
    expect(waiting.state.deadline).toEqual(new Date('2027-03-08T09:00:00Z'));
    expect(waiting.state.reason).toBe('Signed packages');
    expect(waiting.notices).toEqual([{ audience: 'product_team', topic: 'waiting' }]);

    const resumed = expectApplied(fire(waiting.state, 'resume', new Date('2027-03-05T09:00:00Z')));
    expect(resumed.state.status).toBe('verification');
    expect(resumed.state.deadline).toEqual(new Date('2027-03-10T09:00:00Z'));
    expect(resumed.state.pausedMs).toBe(2 * DAY);
    expect(resumed.notices).toEqual([]);
  });

  it('when a ticket waits twice, then both pauses are added to its deadline', () => {
    const verification = walk(SETUPS.verification); // entered 2027-03-02 09:00 UTC, due 03-09
    const first = expectApplied(
      fire(verification, 'wait_for_provider', new Date('2027-03-03T09:00:00Z')),
    ).state;
    const back = expectApplied(fire(first, 'resume', new Date('2027-03-04T09:00:00Z'))).state;
    const second = expectApplied(fire(back, 'wait_for_provider', new Date('2027-03-05T09:00:00Z'))).state;
    const again = expectApplied(fire(second, 'resume', new Date('2027-03-05T21:00:00Z'))).state;
    expect(again.deadline).toEqual(new Date('2027-03-10T21:00:00Z'));
    expect(again.pausedMs).toBe(1.5 * DAY);
  });

  it('when a waiting ticket is superseded, then it is final with no deadline', () => {
    const waiting = walk(SETUPS['waiting from staged_rollout']);
    const result = expectApplied(fire(waiting, 'supersede', AT));
    expect(result.state.status).toBe('superseded');
    expect(result.state.deadline).toBeNull();
    expect(result.state.waitingFrom).toBeNull();
    expect(machine.allowedMoves(result.state, alice)).toEqual([]);
  });
});

describe('final statuses', () => {
  it.each(['ready', 'rejected', 'superseded'] as const)(
    'when a ticket is %s, then every event from every role is refused and the ticket is unchanged',
    (setup) => {
      const final = walk(SETUPS[setup]);
      for (const event of TICKET_EVENTS) {
        for (const actor of [alice, checker, contact]) {
          const result = machine.transition(final, validEvent(event, final.version), actor, AT);
          expect(result.outcome).toBe('refused');
          expect(result.state).toBe(final);
        }
      }
      expect(machine.allowedMoves(final, alice)).toEqual([]);
      expect(machine.allowedMoves(final, checker)).toEqual([]);
    },
  );
});
