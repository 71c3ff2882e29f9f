// A separate process acting on a database file, for the crash and concurrency tests. It runs the compiled
// code in dist/ (built by the test global setup), exactly as the CLI and the app do.
//
//   node worker.mjs '{"dbPath":…, "at":…, "action":…, "args":…, "crashAt":…, "startAt":…}'
//
// It prints one JSON line: { ok: true, result } or { ok: false, code, message }. With `crashAt`, it kills
// itself with SIGKILL when the service reaches that step, inside the transaction. With `startAt` (epoch ms),
// it waits until then so that two workers start their transaction at the same moment.
import { loadCoreConfig } from '../../dist/config/core.js';
import { openDatabase } from '../../dist/db/index.js';
import * as services from '../../dist/services/index.js';

const request = JSON.parse(process.argv[2]);
const handle = openDatabase(request.dbPath);
const ctx = services.createServiceContext({
  db: handle.db,
  config: loadCoreConfig({}),
  clock: { now: () => new Date(request.at) },
  onStep: (step) => {
    if (step === request.crashAt) process.kill(process.pid, 'SIGKILL');
  },
});

if (request.startAt) {
  while (Date.now() < request.startAt) {
    // Busy-wait: a timer would let the event loop drift; both workers must hit BEGIN together.
  }
}

const actions = {
  inject: (a) => services.inject(ctx, a.submissionId, { expectedVersion: a.expectedVersion }, a.caller),
  move: (a) => services.moveTicket(ctx, a.ticketId, a.event, a.caller),
  check: () => services.checkDelays(ctx, new Date(request.at)),
  submit: (a) => services.submit(ctx, a.raw, a.caller),
};

try {
  const result = actions[request.action](request.args ?? {});
  process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, code: error.code ?? 'ERROR', message: error.message })}\n`,
  );
} finally {
  handle.close();
}
