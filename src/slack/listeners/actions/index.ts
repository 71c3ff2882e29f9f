import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { registerEarlyAdopterButtons } from './early-adopter-buttons.js';
import { registerMoveButtons } from './move-button.js';
import { registerProductEditButton } from './product-edit-button.js';

export function registerActions(app: App, deps: SlackDeps): void {
  registerMoveButtons(app, deps);
  registerEarlyAdopterButtons(app, deps);
  registerProductEditButton(app, deps);
}
