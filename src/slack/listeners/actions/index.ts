import type { SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';
import { registerDescriptorButton } from './descriptor-button.js';
import { registerEarlyAdopterButtons } from './early-adopter-buttons.js';
import { registerMoveButtons } from './move-button.js';
import { registerProductEditButton } from './product-edit-button.js';
import { registerPublishButton } from './publish-button.js';
import { registerReleaseNotesButton } from './release-notes-button.js';

export function registerActions(app: Listeners, deps: SlackDeps): void {
  registerMoveButtons(app, deps);
  registerEarlyAdopterButtons(app, deps);
  registerProductEditButton(app, deps);
  registerDescriptorButton(app, deps);
  registerPublishButton(app, deps);
  registerReleaseNotesButton(app, deps);
}
