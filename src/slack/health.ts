/**
 * GET /healthz: 200 with the body when healthy, 503 otherwise. Over HTTP it is a route of Bolt's receiver; in
 * Socket Mode cmd-bot serves it itself, so that it knows the port it listens on (Bolt's Socket Mode receiver
 * keeps its server private, and PORT=0 would have been reported as port 0).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthReport {
  readonly healthy: boolean;
  readonly body: unknown;
}

/** Asynchronous: the database probe waits for the turn's pending commit (see probeWritable in src/db). */
export type HealthCheck = () => Promise<HealthReport>;

/** A check that throws answers 503, rather than leave the request hanging. */
const failed = (error: unknown): HealthReport => ({
  healthy: false,
  body: { ok: false, error: error instanceof Error ? error.message : String(error) },
});

export function answerHealth(health: HealthCheck, res: ServerResponse): void {
  void health()
    .catch(failed)
    .then(({ healthy, body }) => {
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free one) and answers /healthz; anything else is a 404. */
export function startHealthServer(port: number, health: HealthCheck): Promise<HealthServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      answerHealth(health, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found: cmd-bot answers GET /healthz here; Slack reaches it over Socket Mode.\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
