import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/cmd-bot.js', import.meta.url));

describe('the cmd-bot command', () => {
  it('when run with --help, then it describes itself and exits 0', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('Usage: cmd-bot');
    expect(stdout).toContain("EGI's software provisioning process");
  });

  it('when given an unknown command, then it exits 2 and says how to get help', async () => {
    const failure = await run(process.execPath, [bin, 'no-such-command']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('cmd-bot --help');
  });
});
