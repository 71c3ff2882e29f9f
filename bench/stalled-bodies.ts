/**
 * Issue 13's trial: many connections each send nearly 4 MB (Bolt's body limit) to /slack/events and then stall,
 * never finishing their body. Reports the bot's resident memory before, at its peak and at the end of a short
 * window, what each connection was answered, and how long the bot took to close them all.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

const LIMIT = 4 * 1024 * 1024;
/** Sent by every connection: its body, short of the length it declares, so the request never ends. */
const NEARLY_ALL = Buffer.alloc(LIMIT - 64 * 1024, 'a');

export interface StalledBodiesResult {
  readonly connections: number;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  /** At the end of the window (all data handed over, `windowMs` later). */
  readonly rssAfterMb: number;
  /**
   * How the connections stood at the end of the window: answered (by status), 'open' (no answer yet), or 'closed'
   * by the bot before its answer could be read (it cut the connection while the body was still being sent).
   */
  readonly answers: Readonly<Record<string, number>>;
  /** When the bot had closed every connection, counted from the first; null if not within `closeWithinMs` (20 s). */
  readonly allClosedMs: number | null;
}

export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * `signature`: 'none' sends no Slack headers; 'forged' a fresh timestamp and a well-formed signature that does
 * not match. `pid` is the bot's process, whose memory is read from /proc.
 */
export async function stalledBodies(
  url: string,
  pid: number,
  options: {
    readonly signature: 'none' | 'forged';
    readonly connections?: number;
    readonly windowMs?: number;
    readonly closeWithinMs?: number;
  },
): Promise<StalledBodiesResult> {
  const { port, hostname, pathname } = new URL(url);
  const count = options.connections ?? 150;
  const rssBeforeMb = residentMb(pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, residentMb(pid));
  }, 100);

  const started = performance.now();
  const sockets: Socket[] = [];
  const answers: string[] = [];
  const settled: Promise<void>[] = [];
  const closed: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(Number(port), hostname);
    sockets.push(socket);
    answers.push('none');
    socket.on('error', () => {}); // the bot may cut the connection while the body is being sent
    socket.on('data', (chunk: Buffer) => {
      if (answers[i] === 'none') answers[i] = /^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1] ?? '?';
    });
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    settled.push(
      new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.write(head(hostname, pathname, options), () => socket.write(NEARLY_ALL, () => resolve()));
      }),
    );
  }
  await Promise.all(settled);
  // The kernel holds what was written until the bot reads it: give it a moment to read, as a stalled client would.
  await new Promise((resolve) => setTimeout(resolve, options.windowMs ?? 3000));
  const rssAfterMb = residentMb(pid);
  rssPeakMb = Math.max(rssPeakMb, rssAfterMb);
  clearInterval(sampler);

  const byStatus: Record<string, number> = {};
  answers.forEach((answer, i) => {
    const state = answer !== 'none' ? answer : sockets[i]?.destroyed ? 'closed' : 'open';
    byStatus[state] = (byStatus[state] ?? 0) + 1;
  });
  let giveUp: NodeJS.Timeout | undefined;
  const allClosed = await Promise.race([
    Promise.all(closed).then(() => performance.now() - started),
    new Promise<null>((resolve) => {
      const left = (options.closeWithinMs ?? 20_000) - (performance.now() - started);
      giveUp = setTimeout(() => resolve(null), Math.max(0, left));
    }),
  ]);
  clearTimeout(giveUp);
  for (const socket of sockets) socket.destroy();
  return {
    connections: count,
    rssBeforeMb,
    rssPeakMb,
    rssAfterMb,
    answers: byStatus,
    allClosedMs: allClosed,
  };
}

function head(host: string, path: string, options: { readonly signature: 'none' | 'forged' }): string {
  const lines = [
    `POST ${path} HTTP/1.1`,
    `Host: ${host}`,
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${LIMIT}`,
  ];
  if (options.signature === 'forged') {
    // Well-formed and fresh: that it does not match can only be found out once the body is read.
    lines.push(
      `X-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}`,
      `X-Slack-Signature: v0=${'0'.repeat(64)}`,
    );
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}
