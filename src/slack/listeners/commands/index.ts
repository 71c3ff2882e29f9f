import type { SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';
import { registerHelpCommand } from './help.js';
import { registerListCommand } from './list.js';
import { registerProductCommand } from './product.js';
import { registerReleaseCommand } from './release.js';
import { registerReportCommand } from './report.js';
import { registerStatusCommand } from './status.js';
import { registerSubmitCommand } from './submit.js';

/** One registration per command in SLASH_COMMANDS (src/slack/command-list.ts); the manifest test checks both. */
export const COMMAND_REGISTRATIONS = {
  '/cmd-submit': registerSubmitCommand,
  '/cmd-status': registerStatusCommand,
  '/cmd-list': registerListCommand,
  '/cmd-product': registerProductCommand,
  '/cmd-report': registerReportCommand,
  '/cmd-release': registerReleaseCommand,
  '/cmd-help': registerHelpCommand,
} as const;

export function registerCommands(app: Listeners, deps: SlackDeps): void {
  for (const register of Object.values(COMMAND_REGISTRATIONS)) register(app, deps);
}
