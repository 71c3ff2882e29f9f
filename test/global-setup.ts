import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Tests that spawn the `cmd-bot` command or worker processes run the compiled code in dist/, so build it
 * once before any test starts. It is the same build `npm ci` runs.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(
    process.execPath,
    [
      fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)),
      '-p',
      'tsconfig.build.json',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
