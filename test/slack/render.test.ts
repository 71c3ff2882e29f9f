/**
 * What a combined message says when it is sent: the notices it lists are read again (a delay resolved during
 * the hold is left out, and not counted), and a check that produced many says how many more there were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox, listPending, type OutboxRow } from '../../src/db/repositories/outbox.js';
import {
  checkDelays,
  inject,
  moveTicket,
  passVerification,
  registerProduct,
  reject,
  startVerification,
  submit,
} from '../../src/services/index.js';
import { COMBINED_LISTED } from '../../src/services/notices/index.js';
import { createRenderer } from '../../src/slack/render.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  openTestStore,
  STAFF,
  settleRows,
  type TestStore,
} from '../support/database.js';
import { QC_ALL_OK } from '../support/qc.js';

let store: TestStore;
beforeEach(() => {
  store = openTestStore({ start: '2027-03-01T09:00:00Z', env: { DELAY_NOTICE_HOLD_HOURS: '0' } });
  registerProduct(store.ctx, ARC_CARD, STAFF);
});
afterEach(() => store.cleanup());

/** `releases` ARC releases injected now (two tickets each), all Unverified past their month on 2027-04-02. */
function delayTickets(releases: number): OutboxRow {
  for (let i = 0; i < releases; i++) {
    submit(store.ctx, { ...ARC_RELEASE, version: `7.0.${i}` }, CONTACT);
    inject(store.ctx, i + 1, { expectedVersion: 1 }, STAFF);
  }
  const before = new Set(listOutbox(store.handle.db).map((row) => row.id));
  checkDelays(store.ctx, new Date('2027-04-02T09:00:00Z'));
  const toContact = listOutbox(store.handle.db).filter(
    (row) => !before.has(row.id) && row.recipient === CONTACT.userId && row.payload.topic === 'combined',
  );
  expect(toContact).toHaveLength(1);
  return toContact[0] as OutboxRow;
}

const render = (row: OutboxRow) => createRenderer(store.ctx).notice(row);

describe('a combined message', () => {
  it('when a listed delay is resolved before the message goes out, then it is neither shown nor counted', () => {
    const row = delayTickets(3); // six delayed tickets: one combined message to the contact
    expect(row.payload.total).toBe(6);
    expect(row.payload.parts).toHaveLength(6);

    moveTicket(store.ctx, 3, { type: 'start_verification', expectedVersion: 2 }, STAFF);
    const text = render(row)?.text ?? '';

    expect(text.split('\n')[0]).toBe('5 notices from cmd-bot:');
    expect(text).not.toContain('TKT-3 ');
    expect(text).toContain('TKT-4 ');
    expect(text).not.toContain('more');
  });

  it('when one check delays many tickets, then the message lists the first ones and says how many more, within one section', () => {
    const row = delayTickets(20); // forty delayed tickets
    expect(row.payload.total).toBe(40);
    expect(row.payload.parts).toHaveLength(COMBINED_LISTED);

    const block = render(row)?.blocks?.[0] as { text?: { text: string } } | undefined;
    const section = block?.text?.text ?? '';

    expect(section.split('\n')[0]).toBe('40 notices from cmd-bot:');
    const listed = section.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThanOrEqual(COMBINED_LISTED);
    expect(section.endsWith(`…and ${40 - listed} more; \`/cmd-list\` shows where everything stands.`)).toBe(
      true,
    );
    expect(section.length).toBeLessThanOrEqual(3000); // not cut off by the section limit
  });

  it('when unlisted delays are resolved before the message goes out, then they are not counted either', () => {
    const row = delayTickets(10); // twenty delayed tickets, fifteen listed
    const listedIds = new Set((row.payload.parts ?? []).map((part) => part.ticketIds?.[0]));
    expect(row.payload.unlistedDelayed).toHaveLength(20 - COMBINED_LISTED);
    const unlisted = Array.from({ length: 20 }, (_, i) => i + 1).filter((id) => !listedIds.has(id));
    for (const ticketId of unlisted.slice(0, 2)) {
      moveTicket(store.ctx, ticketId, { type: 'start_verification', expectedVersion: 2 }, STAFF);
    }

    const text = render(row)?.text ?? '';
    expect(text.split('\n')[0]).toBe('18 notices from cmd-bot:');
    const listed = text.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(listed).toBeLessThanOrEqual(COMBINED_LISTED);
    expect(text).toContain(`…and ${18 - listed} more;`);
  });

  it('when every listed delay is resolved but others were not listed, then it still says how many there were', () => {
    const row = delayTickets(10);
    for (const part of row.payload.parts ?? []) {
      const ticketId = part.ticketIds?.[0] as number;
      moveTicket(store.ctx, ticketId, { type: 'start_verification', expectedVersion: 2 }, STAFF);
    }

    expect(render(row)?.text).toBe(
      `${20 - COMBINED_LISTED} notices from cmd-bot: \`/cmd-list\` shows where everything stands.`,
    );
  });
});

describe('the message for a platform that joins staged rollout later', () => {
  /** TKT-1 announced and sent; TKT-2 passes afterwards: the row of its own message. */
  function platformAdded(): OutboxRow {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    for (const id of [1, 2]) startVerification(store.ctx, id, { expectedVersion: 1 }, STAFF);
    passVerification(
      store.ctx,
      1,
      { expectedVersion: 2, reportUrl: 'https://r.example.org/1', qc: QC_ALL_OK },
      STAFF,
    );
    settleRows(
      store.handle.db,
      'sent',
      listPending(store.handle.db).map((row) => row.id),
      store.clock.now(),
    );
    passVerification(
      store.ctx,
      2,
      { expectedVersion: 2, reportUrl: 'https://r.example.org/2', qc: QC_ALL_OK },
      STAFF,
    );
    const row = listPending(store.handle.db).find((r) => r.payload.topic === 'early_adopter_platform_added');
    expect(row).toBeDefined();
    return row as OutboxRow;
  }

  it('when it goes out, then it names only the new platform and its packages', () => {
    const message = render(platformAdded());

    expect(message?.text).toBe('Staged rollout: ARC 6.21.1 (SUB-1) now also on el8/x86_64');
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain('*el8/x86_64:*');
    expect(blocks).not.toContain('el9/x86_64');
  });

  it('when that platform left staged rollout before it went out, then it is not sent', () => {
    const row = platformAdded();
    reject(
      store.ctx,
      { kind: 'ticket', id: 2 },
      { expectedVersion: 3, reason: 'a broken dependency on el8' },
      STAFF,
    );

    expect(render(row)).toBeNull();
  });
});

describe('the announcement when its first attempt failed and a platform joined before the retry', () => {
  /** TKT-1 passes (announcement queued, one failed attempt), then TKT-2 passes and gets a message of its own. */
  function retriedAnnouncement(): { announcement: OutboxRow; added: OutboxRow } {
    submit(store.ctx, ARC_RELEASE, CONTACT);
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    for (const id of [1, 2]) startVerification(store.ctx, id, { expectedVersion: 1 }, STAFF);
    passVerification(
      store.ctx,
      1,
      { expectedVersion: 2, reportUrl: 'https://r.example.org/1', qc: QC_ALL_OK },
      STAFF,
    );
    const announcement = listPending(store.handle.db).find(
      (r) => r.payload.topic === 'early_adopter_announcement',
    ) as OutboxRow;
    settleRows(store.handle.db, 'attempted', [announcement.id], store.clock.now());
    passVerification(
      store.ctx,
      2,
      { expectedVersion: 2, reportUrl: 'https://r.example.org/2', qc: QC_ALL_OK },
      STAFF,
    );
    const added = listPending(store.handle.db).find(
      (r) => r.payload.topic === 'early_adopter_platform_added',
    ) as OutboxRow;
    expect(added).toBeDefined();
    return { announcement, added };
  }

  it('when it is retried, then it leaves out the platform that has its own message, so nobody hears of it twice', () => {
    const { announcement, added } = retriedAnnouncement();

    expect(render(announcement)?.text).toBe('Staged rollout: ARC 6.21.1 (SUB-1) on el9/x86_64');
    expect(JSON.stringify(render(announcement)?.blocks)).not.toContain('el8/x86_64');
    expect(render(added)?.text).toBe('Staged rollout: ARC 6.21.1 (SUB-1) now also on el8/x86_64');
  });

  it('when its own platform left staged rollout meanwhile, then it is not sent, and the other message still is', () => {
    const { announcement, added } = retriedAnnouncement();
    reject(store.ctx, { kind: 'ticket', id: 1 }, { expectedVersion: 3, reason: 'breaks el9 sites' }, STAFF);

    expect(render(announcement)).toBeNull();
    expect(render(added)?.text).toBe('Staged rollout: ARC 6.21.1 (SUB-1) now also on el8/x86_64');
  });
});
