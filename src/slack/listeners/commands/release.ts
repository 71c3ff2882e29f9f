import { formatTicketId, parseSubjectId } from '../../../domain/ids.js';
import { formatReleaseName, releaseLabel } from '../../../domain/releases.js';
import {
  cancelRelease,
  changeReleaseContents,
  createRelease,
  getRelease,
  type PublishedRelease,
  publishRelease,
} from '../../../services/index.js';
import { ephemeral, md } from '../../blocks/kit.js';
import { releaseMessage } from '../../blocks/release.js';
import { callerFor, type SlackDeps, userMessage } from '../../deps.js';
import { commandArgument } from '../../forms.js';
import type { Listeners } from '../../router.js';

export const RELEASE_USAGE =
  'Use `/cmd-release new UMD-5.1.0 2027-03-15 [security]` to plan a release, `/cmd-release show UMD-5.1.0` to see it, `/cmd-release add|remove UMD-5.1.0 TKT-3 reason` to change what it holds by hand, `/cmd-release publish UMD-5.1.0 [notes link]` or `/cmd-release cancel UMD-5.1.0 reason`.';

/**
 * `/cmd-release new NAME DATE [security]`, `add|remove NAME TKT-n reason`, `publish NAME [link]`, `cancel NAME reason`
 * (staff) and `/cmd-release show NAME`: answered in the ack.
 */
export function registerReleaseCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-release', async ({ command, ack }) => {
    const [verb = '', name = '', ...rest] = commandArgument(command.text).split(/\s+/).filter(Boolean);
    try {
      if (verb.toLowerCase() === 'new') {
        const [date = '', ...flags] = rest;
        const unknown = flags.filter((flag) => flag.toLowerCase() !== 'security');
        if (!name || !date || unknown.length > 0) {
          await ack(ephemeral(RELEASE_USAGE));
          return;
        }
        const release = createRelease(
          deps.ctx,
          { name, date, security: flags.length > 0 },
          callerFor(deps, command.user_id),
        );
        deps.outbox.wake();
        await ack(
          ephemeral(
            md`Planned *${releaseLabel(release)}*${release.security ? ' (security)' : ''} for ${release.releaseDate}. See it with \`/cmd-release show ${formatReleaseName(release)}\`.`,
          ),
        );
        return;
      }
      if (verb.toLowerCase() === 'publish' || verb.toLowerCase() === 'cancel') {
        if (!name) {
          await ack(ephemeral(RELEASE_USAGE));
          return;
        }
        const caller = callerFor(deps, command.user_id);
        const text =
          verb.toLowerCase() === 'publish'
            ? publishedText(publishRelease(deps.ctx, name, { notesUrl: rest[0] ?? null }, caller))
            : md`Cancelled *${releaseLabel(cancelRelease(deps.ctx, name, rest.join(' '), caller))}*; its tickets go to the next planned release.`;
        deps.outbox.wake();
        await ack(ephemeral(text));
        return;
      }
      if (verb.toLowerCase() === 'add' || verb.toLowerCase() === 'remove') {
        const [ticket = '', ...reason] = rest;
        const subject = parseSubjectId(ticket);
        if (!name || subject?.kind !== 'ticket') {
          await ack(ephemeral(RELEASE_USAGE));
          return;
        }
        const change = verb.toLowerCase() === 'add' ? 'add' : 'remove';
        const release = changeReleaseContents(
          deps.ctx,
          { name, ticketId: subject.id, change, reason: reason.join(' ') },
          callerFor(deps, command.user_id),
        );
        await ack(
          ephemeral(
            md`${change === 'add' ? 'Added' : 'Took'} ${formatTicketId(subject.id)} ${change === 'add' ? 'to' : 'out of'} *${releaseLabel(release)}*; the reason is in its history.`,
          ),
        );
        return;
      }
      const shown = verb.toLowerCase() === 'show' ? name : verb;
      if (!shown) {
        await ack(ephemeral(RELEASE_USAGE));
        return;
      }
      await ack(ephemeral(releaseMessage(getRelease(deps.ctx, shown))));
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-release')));
    }
  });
}

/** The answer to whoever published: how many tickets are now Released, and any left out. */
export function publishedText(published: PublishedRelease) {
  const left = published.skipped.length;
  return md`Published *${releaseLabel(published.release)}*: ${published.released.length} ticket(s) are Released, and their product teams and the early adopters are told.${left > 0 ? ` ${left} ticket(s) it held are not Ready any more and were left out.` : ''}`;
}
