/**
 * The bot's own routes: GET /healthz (200 with the body when healthy, 503 otherwise) and GET /metrics
 * (Prometheus text, unless METRICS=false). Over HTTP they are routes of cmd-bot's receiver; in Socket Mode
 * cmd-bot serves them itself, so that it knows the port it listens on (Bolt's Socket Mode receiver keeps its
 * server private, and PORT=0 would have been reported as port 0).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotMetrics } from '../metrics/index.js';
import type { Route } from './receiver.js';

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

/** A scrape that fails (the database unreadable) answers 500 with the reason, so Prometheus marks it down. */
export function answerMetrics(metrics: BotMetrics, res: ServerResponse): void {
  void metrics.exposition().then(
    (text) => {
      res.writeHead(200, { 'content-type': metrics.contentType });
      res.end(text);
    },
    (error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`metrics could not be read: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  );
}

/** GET /healthz, and GET /metrics when `metrics` is given. */
export function ownRoutes(health: HealthCheck, metrics: BotMetrics | null): Readonly<Record<string, Route>> {
  return {
    '/healthz': (_req, res) => answerHealth(health, res),
    ...(metrics
      ? { '/metrics': (_req: IncomingMessage, res: ServerResponse) => answerMetrics(metrics, res) }
      : {}),
  };
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free one) and answers GET and HEAD on `routes`; anything else is a 404. */
export function startHealthServer(
  port: number,
  routes: Readonly<Record<string, Route>>,
): Promise<HealthServer> {
  const served = Object.keys(routes).join(' and ');
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    // Only the routes' own keys: a path such as /constructor must not reach Object's prototype.
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route && (req.method === 'GET' || req.method === 'HEAD')) {
      route(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`Not found: cmd-bot answers GET ${served} here; Slack reaches it over Socket Mode.\n`);
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
