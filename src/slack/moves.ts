/**
 * The buttons on a card and what each one does. Labels are the ones operators know; the action id names the
 * event, and the value names the item and the version the card showed, so a stale click can be recognised.
 */
import { z } from 'zod';
import { formatSubjectId, parseSubjectId, type SubjectId } from '../domain/ids.js';
import { SUBMISSION_EVENT_LABELS, type SubmissionEventType } from '../domain/submission-machine.js';
import { TICKET_EVENT_LABELS, type TicketEventType } from '../domain/ticket-machine.js';

export type MoveEvent = Exclude<TicketEventType, 'delay'> | SubmissionEventType;

/** The buttons' labels: the domain's names of the moves (one name per move, in refusals and replies too). */
export const MOVE_LABELS: { readonly [K in MoveEvent]: string } = (() => {
  const { delay: _checkerOnly, ...staffMoves } = TICKET_EVENT_LABELS;
  return { ...SUBMISSION_EVENT_LABELS, ...staffMoves };
})();

export const MOVE_ACTION_PREFIX = 'move:';
export const MOVE_ACTION_PATTERN = /^move:[a-z_]+$/;

export const moveActionId = (event: MoveEvent) => `${MOVE_ACTION_PREFIX}${event}`;

export function moveFromActionId(actionId: string): MoveEvent | null {
  const event = actionId.slice(MOVE_ACTION_PREFIX.length);
  return Object.hasOwn(MOVE_LABELS, event) ? (event as MoveEvent) : null;
}

/** What a move button carries: the item and the version the card showed. */
export interface MoveTarget {
  readonly subject: SubjectId;
  readonly version: number;
}

const targetSchema = z.object({ s: z.string(), v: z.number().int().positive() });

export function encodeTarget(target: MoveTarget): string {
  return JSON.stringify({ s: formatSubjectId(target.subject), v: target.version });
}

/** Whether `event` is a move of that kind of item (Inject is a submission's, Start verification a ticket's). */
export function moveApplies(event: MoveEvent, subject: SubjectId): boolean {
  return Object.hasOwn(subject.kind === 'submission' ? SUBMISSION_EVENT_LABELS : TICKET_EVENT_LABELS, event);
}

export function decodeTarget(value: string | undefined): MoveTarget | null {
  if (!value) return null;
  try {
    const parsed = targetSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return null;
    const subject = parseSubjectId(parsed.data.s);
    return subject ? { subject, version: parsed.data.v } : null;
  } catch {
    return null;
  }
}

export const EA_ACTIONS = { works: 'ea_report:works', problem: 'ea_report:problem' } as const;
export const EA_LABELS = { works: 'Installed, works', problem: 'Problem found' } as const;

export const CALLBACK_IDS = {
  submit: 'submit_release',
  move: 'move',
  earlyAdopterReport: 'ea_report',
  product: 'product_card',
  releaseNotes: 'release_notes',
} as const;
