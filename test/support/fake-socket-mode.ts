/**
 * Slack's side of Socket Mode, for tests: a WebSocket server that greets the app with `hello`, sends it
 * envelopes (slash commands, interactions, events) and hands back the payload of the app's ack. Pair it with the
 * fake Web API, whose `apps.connections.open` must answer with `url` (see `answerConnectionsOpen`).
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface FakeSocketMode {
  readonly url: string;
  /** Resolves when the app has connected and been greeted. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends one envelope; resolves with the payload of the app's ack (undefined for an ack without one). */
  send(type: EnvelopeType, payload: object, timeoutMs?: number): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
  const acks = new Map<string, (payload: Record<string, unknown> | undefined) => void>();
  let socket: WebSocket | null = null;
  let onConnect: (() => void) | null = null;
  let envelopes = 0;

  server.on('connection', (connection) => {
    socket = connection;
    connection.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (ack.envelope_id) acks.get(ack.envelope_id)?.(ack.payload);
    });
    connection.send(
      JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKEAPP' } }),
    );
    onConnect?.();
  });

  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`fake Socket Mode: ${what}`)), ms)),
    ]);

  return {
    url,
    connected: (timeoutMs = 5000) =>
      socket
        ? Promise.resolve()
        : within(
            new Promise<void>((resolve) => {
              onConnect = resolve;
            }),
            timeoutMs,
            `the app did not connect within ${timeoutMs} ms`,
          ),
    send(type, payload, timeoutMs = 5000) {
      const live = socket;
      if (!live) return Promise.reject(new Error('fake Socket Mode: the app is not connected'));
      envelopes += 1;
      const envelopeId = `envelope-${envelopes}`;
      const acked = new Promise<Record<string, unknown> | undefined>((resolve) =>
        acks.set(envelopeId, resolve),
      );
      live.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }));
      return within(
        acked,
        timeoutMs,
        `envelope ${envelopeId} (${type}) was not acked within ${timeoutMs} ms`,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** Makes the fake Web API hand out this Socket Mode server to the app. */
export function answerConnectionsOpen(slack: FakeSlack, socketMode: FakeSocketMode): void {
  slack.respondWith('apps.connections.open', () => ({ body: { ok: true, url: socketMode.url } }));
}
