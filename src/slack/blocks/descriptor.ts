/** What the submitter of a UMD5 descriptor is told after the form or a direct message submitted it. */
import { formatSubmissionId } from '../../domain/ids.js';
import { type Mrkdwn, md } from '../../mrkdwn.js';
import { linesWithin } from './kit.js';

/** "*ARC 6.21.1* is submitted as *SUB-3* for …", then `after`, then the descriptor's warnings, the first 8 listed. */
export function descriptorSubmittedText(
  submitted: {
    readonly product: { readonly name: string };
    readonly submission: {
      readonly id: number;
      readonly version: string;
      readonly platforms: readonly string[];
      readonly distribution: string;
    };
  },
  after: Mrkdwn,
  warnings: readonly string[],
): Mrkdwn {
  const { product, submission } = submitted;
  const id = formatSubmissionId(submission.id);
  const said = md`*${product.name} ${submission.version}* is submitted as *${id}* for ${submission.platforms.join(', ')} (${submission.distribution}).${after}`;
  if (warnings.length === 0) return said;
  return md`${said}\n\n${linesWithin(
    warnings.map((warning) => md`• ${warning}`),
    (left) => md`…and ${left} more in \`/cmd-status ${id}\``,
    { head: md`*Please check the descriptor* (the UMD team sees this too):`, count: 8 },
  )}`;
}
