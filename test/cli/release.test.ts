/** `cmd-bot release create` and `release show`, as operators run them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace, workspace } from './harness.js';

describe.concurrent('cmd-bot release', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
  });
  afterAll(() => ws.cleanup());

  it('when staff plan UMD-5.1.0, then its name goes to stdout, its cut-off to stderr, and show lists it in text and JSON', async () => {
    const created = await ws.run(['release', 'create', 'UMD-5.1.0', '--date', '2099-03-15']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe('UMD-5.1.0');
    expect(created.stderr).toContain(
      'Planned UMD 5.1.0 for 2099-03-15; its contents freeze 2099-03-08 23:00 UTC (2099-03-09 00:00 Europe/Amsterdam).',
    );
    const shown = await ws.run(['release', 'show', 'umd-5.1.0']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('UMD 5.1.0: planned, release date 2099-03-15');
    expect(shown.stdout).toContain('Candidates (Ready now)\n  none');
    const json = JSON.parse((await ws.run(['release', 'show', 'UMD-5.1.0', '--json'])).stdout);
    expect(json).toMatchObject({ name: 'UMD-5.1.0', state: 'planned', cutoffAt: '2099-03-08T23:00:00.000Z' });
  });

  it('when the name, major, date or uniqueness is wrong, then it exits 1 saying what to fix', async () => {
    const [badMajor, past, unknown] = await Promise.all([
      ws.run(['release', 'create', 'UMD-6.0.0', '--date', '2099-03-15']),
      ws.run(['release', 'create', 'UMD-5.9.0', '--date', '2001-01-01']),
      ws.run(['release', 'show', 'UMD-5.7.0']),
    ]);
    expect(badMajor.code).toBe(1);
    expect(badMajor.stderr).toContain('UMD 6.0.0 does not belong to UMD-5');
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('2001-01-01 is in the past');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no release UMD 5.7.0');
  });
});
