/** Messages for notices: DMs and channel posts, and the early-adopter announcement with its buttons. */
import { formatSubmissionId } from '../../domain/ids.js';
import type { SubmissionView } from '../../services/queries.js';
import { EA_ACTIONS, EA_LABELS } from '../moves.js';
import { releaseHeadline } from './card.js';
import {
  button,
  context,
  escapeText,
  header,
  type KnownBlock,
  LIMITS,
  section,
  shortList,
  truncate,
} from './kit.js';

export function noticeMessage(
  text: string,
  submissionId: number | undefined,
): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [section(escapeText(text))];
  if (submissionId !== undefined) {
    blocks.push(
      context(
        `${formatSubmissionId(submissionId)} · details: \`/cmd-status ${formatSubmissionId(submissionId)}\``,
      ),
    );
  }
  return { text: truncate(text, LIMITS.messageText), blocks };
}

/**
 * A submission's announcement in the early adopters' channel, naming `platforms` (the renderer decides which);
 * `added` for the message of a platform that joins after the first announcement went out.
 */
export function earlyAdopterAnnouncement(
  view: SubmissionView,
  platforms: readonly string[],
  options: { readonly added?: boolean } = {},
): { text: string; blocks: KnownBlock[] } {
  const { submission, product } = view;
  const id = formatSubmissionId(submission.id);
  const onPlatforms = platforms.join(', ');
  const release = `*${escapeText(product.name)} ${escapeText(submission.version)}*`;
  const lead = options.added
    ? `${release} is now also ready for staged rollout on *${onPlatforms}*.`
    : `${release} passed verification and is ready for staged rollout on *${onPlatforms}*.`;
  const packages = Object.entries(submission.packagesByPlatform)
    .filter(([platform]) => platforms.includes(platform))
    .map(([platform, list]) => `*${platform}:* ${escapeText(shortList(list, 12, 700))}`);
  const blocks: KnownBlock[] = [
    header(`Staged rollout: ${releaseHeadline(view)}${options.added ? `, now also on ${onPlatforms}` : ''}`),
    section(`${lead}\n*Release notes:* <${submission.releaseNotes}|${escapeText(submission.releaseNotes)}>`),
    section(packages.join('\n') || 'No packages listed.'),
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
  return {
    text: `${submission.security ? '[SECURITY] ' : ''}Staged rollout: ${product.name} ${submission.version} (${id}) ${options.added ? 'now also ' : ''}on ${onPlatforms}`,
    blocks,
  };
}
