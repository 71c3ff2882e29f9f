import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export interface WorkerOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly reply: { ok: boolean; code?: string; message?: string; result?: unknown } | null;
  readonly stderr: string;
}

/** Runs one use case in a separate Node process against a database file. */
export function runWorker(request: Record<string, unknown>): Promise<WorkerOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const line = stdout.trim().split('\n').at(-1);
      resolve({ exitCode, signal, reply: line ? JSON.parse(line) : null, stderr });
    });
  });
}
