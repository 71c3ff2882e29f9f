import type { SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';
import { registerEarlyAdopterView } from './early-adopter-view.js';
import { registerMoveView } from './move-view.js';
import { registerProductView } from './product-view.js';
import { registerReleaseNotesView } from './release-notes-view.js';
import { registerSubmitView } from './submit-view.js';

export function registerViews(app: Listeners, deps: SlackDeps): void {
  registerSubmitView(app, deps);
  registerMoveView(app, deps);
  registerEarlyAdopterView(app, deps);
  registerProductView(app, deps);
  registerReleaseNotesView(app, deps);
}
