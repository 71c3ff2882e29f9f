/** Messages for notices: DMs and channel posts, and the early-adopter announcement with its buttons. */
import { formatSubmissionId } from '../../domain/ids.js';
import type { SubmissionView } from '../../services/queries.js';
import { EA_ACTIONS, EA_LABELS } from '../moves.js';
import { installLines, releaseHeadline } from './card.js';
import {
  button,
  context,
  header,
  joinMd,
  type KnownBlock,
  link,
  type Mrkdwn,
  md,
  message,
  type SlackMessage,
  section,
  shortList,
} from './kit.js';

/** A notice as queued (its text already markup, with people's words escaped: see src/services/notices.ts). */
export function noticeMessage(text: Mrkdwn, submissionId: number | undefined): SlackMessage {
  const blocks: KnownBlock[] = [section(text)];
  if (submissionId !== undefined) {
    const id = formatSubmissionId(submissionId);
    blocks.push(context(md`${id} · details: \`/cmd-status ${id}\``));
  }
  return message(text, blocks);
}

/** A thread reply lists at most this many changes, each at most this long; the rest are counted. */
export const THREAD_REPLY_LINES = 10;
const THREAD_LINE_CHARS = 300;

/**
 * The reply in a card's thread saying what changed, a line per change (the changes waiting to go out together
 * are combined into one reply). Capped, so that a burst of reports cannot flood the thread: the first changes,
 * each cut short, then "…and N more" with where to read everything. Plain `text` (no blocks), escaped like
 * everything else.
 */
export function threadReply(lines: readonly Mrkdwn[], submissionId: number): SlackMessage {
  const shown = lines.slice(0, THREAD_REPLY_LINES).map((line) => line.truncate(THREAD_LINE_CHARS));
  const more = lines.length - shown.length;
  const id = formatSubmissionId(submissionId);
  return message(
    md`${joinMd(shown, '\n')}${more > 0 ? md`\n…and ${more} more; see \`/cmd-status ${id}\`` : ''}`,
  );
}

/** From its UMD5 descriptor: which repository (and key, and OS repositories) each announced platform installs from. */
function installFrom(view: SubmissionView, platforms: readonly string[]): KnownBlock[] {
  if (!view.descriptor) return [];
  const facts = view.descriptor;
  const lines = installLines({
    ...facts,
    targets: facts.targets.filter((t) => platforms.includes(t.platform)),
  });
  return lines.length > 0 ? [section(joinMd(lines, '\n'))] : [];
}

/**
 * A submission's announcement in the early adopters' channel, naming `platforms` (the renderer decides which);
 * `added` for the message of a platform that joins after the first announcement went out.
 */
export function earlyAdopterAnnouncement(
  view: SubmissionView,
  platforms: readonly string[],
  options: { readonly added?: boolean } = {},
): SlackMessage {
  const { submission, product } = view;
  const id = formatSubmissionId(submission.id);
  const onPlatforms = platforms.join(', ');
  const release = md`*${product.name} ${submission.version}*`;
  const lead = options.added
    ? md`${release} is now also ready for staged rollout on *${onPlatforms}*.`
    : md`${release} passed verification and is ready for staged rollout on *${onPlatforms}*.`;
  const packages = Object.entries(submission.packagesByPlatform)
    .filter(([platform]) => platforms.includes(platform))
    .map(([platform, list]) => md`*${platform}:* ${shortList(list, 12, 700)}`);
  const blocks: KnownBlock[] = [
    header(
      md`Staged rollout: ${releaseHeadline(view)}${options.added ? `, now also on ${onPlatforms}` : ''}`,
    ),
    section(md`${lead}\n*Release notes:* ${link(submission.releaseNotes)}`),
    section(packages.length > 0 ? joinMd(packages, '\n') : 'No packages listed.'),
    ...installFrom(view, platforms),
    context('Install it at your site, then tell us how it went:'),
    {
      type: 'actions',
      block_id: `ea:${id}`,
      elements: [
        button(EA_LABELS.works, EA_ACTIONS.works, id, 'primary'),
        button(EA_LABELS.problem, EA_ACTIONS.problem, id, 'danger'),
      ],
    },
  ];
  return message(
    md`${submission.security ? '[SECURITY] ' : ''}Staged rollout: ${product.name} ${submission.version} (${id}) ${options.added ? 'now also ' : ''}on ${onPlatforms}`,
    blocks,
  );
}
