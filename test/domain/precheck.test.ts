import { describe, expect, it } from 'vitest';
import { loadCoreConfig, processRulesFrom } from '../../src/config/core.js';
import { createTicketMachine } from '../../src/domain/ticket-machine.js';

const machine = createTicketMachine(processRulesFrom(loadCoreConfig({})));
const staff = { id: 'U_ALICE', roles: ['staff'] as const };
const bob = { id: 'U_BOB', roles: ['staff'] as const };
const contact = { id: 'U_CONTACT', roles: ['contact'] as const };
const at = new Date('2027-03-02T09:00:00Z');
const fresh = machine.initialState(new Date('2027-03-01T09:00:00Z'));

describe('a check before the form opens (no payload yet)', () => {
  it('when staff click a move the ticket allows, then it is allowed even though the reason is still to come', () => {
    const started = machine.transition(fresh, { type: 'start_verification', expectedVersion: 1 }, staff, at);
    if (started.outcome !== 'applied') throw new Error('expected verification to start');
    expect(machine.precheck(started.state, 'fail_verification', 2, staff)).toEqual({ outcome: 'allowed' });
  });

  it('when the same person clicks again after their move applied, then it is a repeat', () => {
    const started = machine.transition(fresh, { type: 'start_verification', expectedVersion: 1 }, staff, at);
    if (started.outcome !== 'applied') throw new Error('expected verification to start');
    expect(machine.precheck(started.state, 'start_verification', 1, staff)).toEqual({ outcome: 'noop' });
  });

  it('when a contact, a colleague on an old card, or a move the status does not allow is checked, then each is refused as such', () => {
    const started = machine.transition(fresh, { type: 'start_verification', expectedVersion: 1 }, staff, at);
    if (started.outcome !== 'applied') throw new Error('expected verification to start');
    const kind = (result: ReturnType<typeof machine.precheck>) =>
      result.outcome === 'refused' ? result.refusal.kind : result.outcome;
    expect(kind(machine.precheck(started.state, 'start_verification', 2, contact))).toBe('wrong_role');
    expect(kind(machine.precheck(started.state, 'start_verification', 1, bob))).toBe('outdated');
    expect(kind(machine.precheck(started.state, 'mark_ready', 2, staff))).toBe('wrong_status');
  });
});
