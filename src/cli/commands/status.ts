/** `cmd-bot status ID`: a submission (or the submission of a ticket) with its deadlines and full history. */
import { type Command, InvalidArgumentError } from 'commander';
import { parseSubjectId, type SubjectId } from '../../domain/ids.js';

export interface StatusOptions {
  readonly json?: boolean;
}

export function parseSubjectArgument(value: string): SubjectId {
  const subject = parseSubjectId(value);
  if (!subject) throw new InvalidArgumentError('Give a submission or ticket id, such as SUB-12 or TKT-3.');
  return subject;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'Show a submission, or the submission a ticket belongs to, with its deadlines and full history.',
    )
    .argument('<ID>', 'a submission or ticket id, such as SUB-12 or TKT-3', parseSubjectArgument)
    .option('--json', 'print it as JSON (times as ISO-8601 strings)')
    .action(async (subject: SubjectId, options: StatusOptions) => {
      const { runStatus } = await import('../actions/status.js');
      await runStatus(subject, options);
    });
}
