/** `/cmd-release show`: a release, what it holds or would hold now, and what is still on its way to it. */
import { formatTicketId } from '../../domain/ids.js';
import { FORECAST_LABELS, formatReleaseName, isAtRisk, releaseLabel } from '../../domain/releases.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import type { ReleaseView, TicketOnItsWay } from '../../services/index.js';
import {
  button,
  context,
  header,
  type KnownBlock,
  linesWithin,
  type Mrkdwn,
  md,
  mention,
  message,
  type SlackMessage,
  section,
  slackDate,
} from './kit.js';

export const PUBLISH_ACTION = 'release:publish';
export const NOTES_ACTION = 'release:notes';

/** The buttons of a release not yet published: its notes (planned or frozen), and Publish once frozen. */
function releaseButtons(name: string, state: string): KnownBlock[] {
  if (state !== 'planned' && state !== 'frozen') return [];
  return [
    {
      type: 'actions',
      block_id: `release:${name}`,
      elements: [
        button('Edit notes', NOTES_ACTION, name),
        ...(state === 'frozen' ? [button('Publish', PUBLISH_ACTION, name, 'primary')] : []),
      ],
    },
  ];
}

function itemLine(c: TicketOnItsWay, withForecast: boolean): Mrkdwn {
  const due = c.ticket.state.deadline ? md`, due ${slackDate(c.ticket.state.deadline)}` : '';
  const risky = isAtRisk(c.forecast);
  const forecast = c.byHand
    ? md` — by hand (${mention(c.byHand.by)})${c.byHand.reason ? md`: ${c.byHand.reason}` : ''}`
    : withForecast
      ? md` — ${risky ? '⚠️ ' : ''}${FORECAST_LABELS[c.forecast.kind]}`
      : '';
  return md`• ${c.submission.security ? '🚨 ' : ''}*${formatTicketId(c.ticket.id)}* ${c.product.name} ${c.submission.version} ${c.ticket.platform}: ${TICKET_TABLE[c.ticket.state.status].label}${due}${forecast}`;
}

export function releaseMessage(view: ReleaseView): SlackMessage {
  const { release } = view;
  const label = releaseLabel(release);
  const planned = release.state === 'planned';
  const more = (left: number) =>
    md`…and ${left} more: \`cmd-bot release show ${formatReleaseName(release)}\``;
  // Security items first, as the release notes list them.
  const bySecurity = (items: readonly TicketOnItsWay[]) =>
    [...items].sort((a, b) => Number(b.submission.security) - Number(a.submission.security));
  const blocks: KnownBlock[] = [
    header(md`${release.security ? '🚨 ' : ''}${label}`),
    section(
      md`*${release.state === 'planned' ? 'Planned' : release.state === 'frozen' ? 'Frozen' : release.state}* for ${release.releaseDate} · cut-off ${slackDate(release.cutoffAt)}`,
    ),
    section(
      linesWithin(
        view.candidates.length > 0
          ? bySecurity(view.candidates).map((c) => itemLine(c, false))
          : [md`_none yet_`],
        more,
        { head: md`*${planned ? 'Candidates (Ready now)' : 'In the release'}*` },
      ),
    ),
  ];
  if (planned) {
    blocks.push(
      section(
        linesWithin(
          view.onTheWay.length > 0 ? bySecurity(view.onTheWay).map((c) => itemLine(c, true)) : [md`_none_`],
          more,
          { head: md`*On their way*` },
        ),
      ),
    );
    if (view.takenOut.length > 0) {
      blocks.push(
        section(
          linesWithin(
            view.takenOut.map((c) => itemLine(c, false)),
            more,
            { head: md`*Taken out by hand* (they slip at the freeze)` },
          ),
        ),
      );
    }
    blocks.push(context('What is not Ready at the cut-off moves to the next planned release.'));
  }
  // For staff (checked on the click).
  blocks.push(...releaseButtons(formatReleaseName(release), release.state));
  return message(md`${label}: ${release.state}, ${view.candidates.length} ticket(s)`, blocks);
}

/** The freeze message in the UMD channel, with the release's Publish button (for staff) while it is frozen. */
export function releaseFrozenMessage(text: Mrkdwn, name: string, publishable: boolean): SlackMessage {
  const blocks: KnownBlock[] = [section(text)];
  if (publishable) {
    blocks.push(context(md`Review it with \`/cmd-release show ${name}\`; publish it on its date:`), {
      type: 'actions',
      block_id: `release:${name}`,
      elements: [button('Publish', PUBLISH_ACTION, name, 'primary')],
    });
  }
  return message(text, blocks);
}
