import { eq } from 'drizzle-orm';
import type { DB } from '../index.js';
import { immediate } from '../index.js';
import { leases } from '../schema.js';

/**
 * Takes or renews the lease `name` for `holder` until `now + ttlMs`, unless another holder's lease is still
 * running and that holder is not known to be gone. One immediate transaction, so two processes cannot both win.
 */
export function acquireLease(
  db: DB,
  name: string,
  holder: string,
  now: Date,
  ttlMs: number,
  holderIsGone: (other: string) => boolean = () => false,
): boolean {
  return immediate(db, (tx) => {
    const current = tx.select().from(leases).where(eq(leases.name, name)).get();
    if (current && current.holder !== holder && current.expiresAt > now && !holderIsGone(current.holder))
      return false;
    const expiresAt = new Date(now.getTime() + ttlMs);
    tx.insert(leases)
      .values({ name, holder, expiresAt })
      .onConflictDoUpdate({ target: leases.name, set: { holder, expiresAt } })
      .run();
    return true;
  });
}

export function releaseLease(db: DB, name: string, holder: string): void {
  immediate(db, (tx) => {
    const current = tx.select().from(leases).where(eq(leases.name, name)).get();
    if (current?.holder === holder) tx.delete(leases).where(eq(leases.name, name)).run();
  });
}
