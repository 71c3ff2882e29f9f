// npm's prepare script (npm ci runs it): builds dist/ with TypeScript, a dev dependency. Under
// `npm ci --omit=dev` TypeScript is not installed, so it stops with one line saying what to run instead;
// when dist/ was built already (a Docker build stage, an unpacked release), there is nothing to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const INSTEAD = 'npm ci && npm run build && npm prune --omit=dev';

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(new URL('../dist/main.js', import.meta.url))) process.exit(0);
  process.stderr.write(
    `cmd-bot: npm ci --omit=dev cannot build dist/ (TypeScript is a dev dependency); install with: ${INSTEAD}\n`,
  );
  process.exit(1);
}
const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(built.status ?? 1);
