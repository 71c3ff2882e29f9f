/** Submissions and tickets are shown as `SUB-<n>` and `TKT-<n>`; operators' scripts depend on these forms. */
export type SubjectKind = 'submission' | 'ticket';

export interface SubjectId {
  readonly kind: SubjectKind;
  readonly id: number;
}

const PREFIX: { readonly [K in SubjectKind]: string } = { submission: 'SUB', ticket: 'TKT' };

export const formatSubmissionId = (id: number): string => `SUB-${id}`;
export const formatTicketId = (id: number): string => `TKT-${id}`;
export const formatSubjectId = (subject: SubjectId): string => `${PREFIX[subject.kind]}-${subject.id}`;

/** `SUB-12`, `sub-12` or `TKT-3`; null for anything else. */
export function parseSubjectId(text: string): SubjectId | null {
  const match = /^(SUB|TKT)-([1-9]\d{0,14})$/i.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1].toUpperCase() === 'SUB' ? 'submission' : 'ticket', id: Number(match[2]) };
}

/** A Slack user id (`U…` or `W…`), as a users_select gives it. Only such a value may ever become a mention. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** A Slack channel id (`C…` public, `G…` private). */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

export const isSlackUserId = (value: string): boolean => SLACK_USER_ID.test(value);
export const isSlackChannelId = (value: string): boolean => SLACK_CHANNEL_ID.test(value);
