import { eq } from 'drizzle-orm';
import type { DB } from '../index.js';
import { digests } from '../schema.js';

/** Claims the digest of a local day; false when that day's digest was already sent. */
export function claimDigest(db: DB, day: string, at: Date): boolean {
  const existing = db.select().from(digests).where(eq(digests.day, day)).get();
  if (existing) return false;
  db.insert(digests).values({ day, sentAt: at }).run();
  return true;
}
