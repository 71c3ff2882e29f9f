import { providerHome, staffHome } from '../../../services/index.js';
import { providerHomeView, staffHomeView } from '../../blocks/home.js';
import type { SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';
import { registerDescriptorMessages } from './descriptor-dm.js';

export function registerEvents(
  app: Listeners,
  deps: SlackDeps,
  options: { readonly staffUsergroupId?: string },
): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const isStaff = deps.staff.check(event.user) === 'staff';
    const view = isStaff
      ? staffHomeView(staffHome(deps.ctx))
      : providerHomeView(providerHome(deps.ctx, event.user));
    await client.views.publish({ user_id: event.user, view });
  });

  // Slack tells us when the staff group changes; re-read it in the background (never on a click).
  app.event('subteam_members_changed', async ({ event }) => {
    if (options.staffUsergroupId && event.subteam_id === options.staffUsergroupId) void deps.staff.refresh();
  });

  registerDescriptorMessages(app, deps);
}
