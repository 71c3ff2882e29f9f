/**
 * The scheduler: a check at start-up, then on the cron; a job whose timer was lost is noticed and replaced;
 * only the lease holder runs.
 */
import { Writable } from 'node:stream';
import schedule from 'node-schedule';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireLease } from '../../src/db/repositories/leases.js';
import { createLogger } from '../../src/logging.js';
import { LEASE_NAME, Scheduler } from '../../src/scheduler/index.js';
import { openTestStore, type TestStore } from '../support/database.js';

let store: TestStore | undefined;
afterEach(() => {
  vi.useRealTimers();
  schedule.gracefulShutdown();
  store?.cleanup();
});

function capture() {
  const lines: { msg: string; reason?: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

/** Fake timers and a store at Mon 2027-03-01 10:07 UTC, and a logger whose lines the test reads. */
function atTenPastTen() {
  vi.useFakeTimers({
    now: new Date('2027-03-01T10:07:00Z'),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const opened = openTestStore({ start: '2027-03-01T10:07:00Z', env: { DIGEST_TIME: '23:59' } });
  store = opened;
  return { ctx: opened.ctx, db: opened.handle.db, ...capture() };
}

describe('the delay-check scheduler', () => {
  it('when it starts, then it checks at once; when its timer is lost, the watchdog runs the check and schedules it again', async () => {
    const { ctx, db, logger, lines } = atTenPastTen();
    const scheduler = new Scheduler({
      ctx,
      db,
      logger,
      cron: '*/15 * * * *',
      watchdogMs: 20_000,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(lines.filter((l) => l.msg === 'delay check done').map((l) => l.reason)).toEqual(['start-up']);

    // The job's timer is lost (as node-schedule's can be after ~24 days): cancel it behind the scheduler's back.
    for (const job of Object.values(schedule.scheduledJobs)) job.cancel();
    await vi.advanceTimersByTimeAsync(10 * 60_000); // past 10:15 + a minute of grace

    expect(lines.some((l) => l.msg === 'the scheduled check did not run: running it and rescheduling')).toBe(
      true,
    );
    expect(
      lines.filter((l) => l.msg === 'delay check done').map((l) => l.reason),
      JSON.stringify(lines),
    ).toContain('watchdog');
    expect(Object.keys(schedule.scheduledJobs)).toHaveLength(1);
    await scheduler.stop();
  });

  it('when the cron comes round, then the check runs each time, not only at start-up', async () => {
    const { ctx, db, logger, lines } = atTenPastTen();
    const scheduler = new Scheduler({ ctx, db, logger, cron: '*/15 * * * *' });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(39 * 60_000); // 10:15, 10:30 and 10:45

    expect(lines.filter((l) => l.msg === 'delay check done').map((l) => l.reason)).toEqual([
      'start-up',
      'schedule',
      'schedule',
      'schedule',
    ]);
    await scheduler.stop();
  });

  it('when another live process holds the lease, then this one neither checks nor may send', async () => {
    store = openTestStore({ env: { DIGEST_TIME: '23:59' } });
    acquireLease(store.handle.db, LEASE_NAME, 'another-host:1:abc', new Date(), 60_000);
    const { logger, lines } = capture();
    const scheduler = new Scheduler({ ctx: store.ctx, db: store.handle.db, logger, cron: '*/15 * * * *' });
    // start() is synchronous: when it returns, the lease was tried and the start-up check ran or was passed by.
    scheduler.start();

    expect(scheduler.holdsLease()).toBe(false);
    expect(lines.filter((l) => l.msg === 'delay check done')).toEqual([]);
    await scheduler.stop();
  });

  it('when a check succeeds and then one fails, then checkRan hears each, with how long it took and whether it succeeded', async () => {
    const opened = openTestStore({ env: { DIGEST_TIME: '23:59' } });
    store = opened;
    const { logger, lines } = capture();
    let clockBroken = false;
    const clock = {
      now: () => {
        if (clockBroken) throw new Error('the clock broke');
        return opened.clock.now();
      },
    };
    const heard: { seconds: number; succeeded: boolean }[] = [];
    const scheduler = new Scheduler({
      ctx: { ...opened.ctx, clock },
      db: opened.handle.db,
      logger,
      cron: '*/15 * * * *',
      checkRan: (seconds, succeeded) => heard.push({ seconds, succeeded }),
    });
    scheduler.start();
    clockBroken = true;
    scheduler.runCheck('test');

    expect(heard.map((check) => check.succeeded)).toEqual([true, false]);
    for (const { seconds } of heard) expect(seconds).toBeGreaterThanOrEqual(0);
    expect(lines.filter((l) => l.msg === 'delay check failed').map((l) => l.reason)).toEqual(['test']);
    await scheduler.stop();
  });
});
