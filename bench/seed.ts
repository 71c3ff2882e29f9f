/**
 * Fills a database fast for the benchmarks: one product, submissions and tickets written with prepared
 * statements in one transaction (the use cases would take minutes for 100,000 tickets).
 */
import { openDatabase } from '../src/db/index.js';

export interface SeedOptions {
  readonly path: string;
  readonly tickets: number;
  /** Deadline of every ticket (ms since epoch). */
  readonly deadline: number;
  readonly status?: string;
  /**
   * Instead of one status, the open ones in turn, each entered `enteredAgoMs` ago and already warned or reminded
   * about that (as after a year of minute checks): what a long-running bot's check reads past.
   */
  readonly mixedOpenStates?: { readonly enteredAgoMs: number };
  readonly ticketsPerSubmission?: number;
  /** Submissions awaiting injection (no tickets yet), each due at `deadline`. */
  readonly awaitingInjection?: number;
}

export function seedDatabase(options: SeedOptions): void {
  const handle = openDatabase(options.path);
  const db = handle.sqlite;
  const now = Date.now();
  const perSubmission = options.ticketsPerSubmission ?? 2;
  db.transaction(() => {
    db.prepare(
      `insert or ignore into products (name, name_key, contacts, platforms, created_at, updated_at)
       values ('ARC', 'arc', '["UCONTACT1"]', '["el9/x86_64","el8/x86_64"]', ?, ?)`,
    ).run(now, now);
    const insertSubmission = db.prepare(
      `insert into submissions (product_id, version, release_notes, distribution, security, submitted_by, submitted_at,
         platforms, packages_by_platform, status, state_version, entered_at, deadline)
       values (1, ?, 'https://example.org/notes', 'UMD-5', 0, 'UCONTACT1', ?, '["el9/x86_64","el8/x86_64"]',
         '{"el9/x86_64":["pkg-a","pkg-b"],"el8/x86_64":["pkg-a","pkg-b"]}', 'solved', 2, ?, null)`,
    );
    const insertTicket = db.prepare(
      `insert into tickets (submission_id, platform, packages, created_at, status, state_version, entered_at, deadline)
       values (?, ?, '["pkg-a","pkg-b"]', ?, ?, 1, ?, ?)`,
    );
    const insertOpen = db.prepare(
      `insert into submissions (product_id, version, release_notes, distribution, security, submitted_by, submitted_at,
         platforms, packages_by_platform, status, state_version, entered_at, deadline)
       values (1, ?, 'https://example.org/notes', 'UMD-5', 0, 'UCONTACT1', ?, '["el9/x86_64","el8/x86_64"]',
         '{"el9/x86_64":["pkg-a","pkg-b"],"el8/x86_64":["pkg-a","pkg-b"]}', 'open', 1, ?, ?)`,
    );
    for (let i = 0; i < (options.awaitingInjection ?? 0); i++) {
      insertOpen.run(`2.${i}`, now, now, options.deadline);
    }
    const mixed = ['unverified', 'verification', 'staged_rollout', 'waiting_for_provider'];
    const platforms = ['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64', 'el9/aarch64'];
    let submissionId = 0;
    for (let i = 0; i < options.tickets; i++) {
      if (i % perSubmission === 0) {
        submissionId = Number(insertSubmission.run(`1.${i}`, now, now).lastInsertRowid);
      }
      const enteredAt = options.mixedOpenStates ? now - options.mixedOpenStates.enteredAgoMs : now;
      insertTicket.run(
        submissionId,
        platforms[i % perSubmission] ?? `p${i % perSubmission}`,
        now,
        options.mixedOpenStates ? mixed[i % mixed.length] : (options.status ?? 'unverified'),
        enteredAt,
        options.deadline,
      );
    }
    if (options.mixedOpenStates) {
      db.prepare(
        'update tickets set ea_silence_warned_for = entered_at, reminded_for_wait = entered_at',
      ).run();
    }
  })();
  handle.close();
}
