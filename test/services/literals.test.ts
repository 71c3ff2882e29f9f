import { type SQL, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { literalList, statusIn, statusNotIn } from '../../src/db/literals.js';
import { tickets } from '../../src/db/schema.js';
import { inject, registerProduct, submit } from '../../src/services/index.js';
import { ARC_CARD, ARC_RELEASE, CONTACT, openTestStore, STAFF } from '../support/database.js';

describe('statuses written into SQL', () => {
  it('when given status names, then they become a quoted list', () => {
    expect(literalList(['open', 'waiting_for_provider'])).toBe("'open', 'waiting_for_provider'");
  });

  it('when a value is not a status name (a quote, a space, an upper-case letter, nothing at all), then it is refused', () => {
    for (const value of ["open' or 1=1 --", 'open ', 'Open', '']) {
      expect(() => literalList([value]), value).toThrow(/not a status name/);
    }
    expect(() => literalList([])).toThrow(/at least one status/);
  });

  it('when used in a query, then it selects by status; an empty list matches nothing (statusNotIn: everything), as drizzle’s inArray does', () => {
    const store = openTestStore();
    try {
      registerProduct(store.ctx, ARC_CARD, STAFF);
      submit(store.ctx, ARC_RELEASE, CONTACT);
      inject(store.ctx, 1, { expectedVersion: 1 }, STAFF); // two tickets, Unverified
      const count = (condition: SQL) =>
        store.handle.db.select({ n: sql<number>`count(*)` }).from(tickets).where(condition).get()?.n;

      expect(count(statusIn(tickets.status, ['unverified']))).toBe(2);
      expect(count(statusIn(tickets.status, ['verification', 'delayed']))).toBe(0);
      expect(count(statusNotIn(tickets.status, ['unverified']))).toBe(0);
      expect(count(statusIn(tickets.status, []))).toBe(0);
      expect(count(statusNotIn(tickets.status, []))).toBe(2);
    } finally {
      store.cleanup();
    }
  });
});
