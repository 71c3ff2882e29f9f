/**
 * EGI's Quality Criteria (egi-qc/qc, version 7), checked in Verification: the list as data, the format of the
 * file that may replace it (`QC_CRITERIA_FILE`), and the rules a verifier's answers follow. Pure.
 */
import { z } from 'zod';

export interface QcCriterion {
  /** Such as QC_DOC_1: shown, stored, and the key of the criterion's fields in the Verification forms. */
  readonly id: string;
  readonly name: string;
  /** A critical criterion that fails stops the product. Conditional ones (`criticalWhen`) count as critical. */
  readonly critical: boolean;
  /** When it is critical, in words ("for user-side services and tools"); the verifier may answer Not applicable. */
  readonly criticalWhen?: string;
}

export const QC_RESULTS = ['ok', 'warning', 'fail', 'not_applicable'] as const;
export type QcResultValue = (typeof QC_RESULTS)[number];

export const QC_RESULT_LABELS: { readonly [K in QcResultValue]: string } = {
  ok: 'OK',
  warning: 'Warning',
  fail: 'Fail',
  not_applicable: 'Not applicable',
};

/** One criterion's result in a verification: the criterion as it was then, and the verifier's answer. */
export interface QcResult {
  readonly id: string;
  readonly name: string;
  readonly critical: boolean;
  /** Null: no answer (allowed only for a criterion that is not critical). */
  readonly result: QcResultValue | null;
  readonly note: string | null;
}

/** What the verifier gave for one criterion, as the form sends it. */
export interface QcAnswer {
  readonly id: string;
  readonly result: QcResultValue | null;
  readonly note: string | null;
}

/**
 * Each criterion takes two blocks of the Verification passed form, and a Slack modal holds 100 blocks, a few of
 * which the form needs for itself.
 */
export const MAX_QC_CRITERIA = 45;
export const QC_NOTE_MAX = 500;
const ID_PATTERN = /^QC_[A-Z0-9_]+$/;
const ID_MAX = 40;
const NAME_MAX = 100;
const CRITICAL_WHEN_MAX = 150;

/** The criteria of EGI's Quality Criteria version 7, as PROCESS.md lists them; deploy/qc-criteria.json is this. */
export const DEFAULT_QC_CRITERIA: readonly QcCriterion[] = [
  { id: 'QC_DOC_1', name: 'Release Notes', critical: true },
  {
    id: 'QC_DOC_2',
    name: 'User Documentation',
    critical: true,
    criticalWhen: 'for user-side services and tools',
  },
  { id: 'QC_DOC_3', name: 'API Documentation', critical: false },
  { id: 'QC_DOC_4', name: 'Administrator Documentation', critical: true },
  { id: 'QC_DOC_5', name: 'Software License', critical: true },
  { id: 'QC_DIST_1', name: 'Binary Distribution', critical: true },
  { id: 'QC_UPGRADE_1', name: 'Upgrade', critical: false },
  {
    id: 'QC_SEC_1',
    name: 'X.509 Certificate support',
    critical: true,
    criticalWhen: 'for products requiring authentication',
  },
  { id: 'QC_SEC_2', name: 'SHA-2 Certificates Support', critical: true },
  { id: 'QC_SEC_3', name: 'RFC Proxy support', critical: false },
  { id: 'QC_SEC_4', name: 'ARGUS Integration', critical: false },
  { id: 'QC_SEC_5', name: 'World Writable Files', critical: true },
  { id: 'QC_SEC_6', name: 'Passwords in world readable files', critical: true },
  { id: 'QC_INFO_1', name: 'GlueSchema 1.3 Support', critical: false },
  { id: 'QC_INFO_2', name: 'GlueSchema 2.0 Support', critical: true },
  { id: 'QC_INFO_3', name: 'Middleware Version Information', critical: false },
  { id: 'QC_MON_1', name: 'Service Probes', critical: true },
  { id: 'QC_ACC_1', name: 'Accounting Records', critical: true },
  { id: 'QC_SUPPORT_1', name: 'Bug Tracking System', critical: true },
  { id: 'QC_FUNC_1', name: 'Basic Functionality Test', critical: true },
  { id: 'QC_FUNC_2', name: 'New features/bug fixes testing', critical: false },
];

const criterionSchema = z.strictObject({
  id: z
    .string({ message: 'must be a text such as "QC_DOC_1"' })
    .regex(ID_PATTERN, { message: 'must look like QC_DOC_1: QC_ then capital letters, digits and _' })
    .max(ID_MAX, { message: `must have at most ${ID_MAX} characters` }),
  name: z
    .string({ message: 'must be a text such as "Release Notes"' })
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(NAME_MAX, { message: `must have at most ${NAME_MAX} characters` }),
  critical: z.boolean({ message: 'must be true or false' }),
  criticalWhen: z
    .string({ message: 'must be a text such as "for user-side services and tools"' })
    .trim()
    .min(1, { message: 'must not be empty (leave it out instead)' })
    .max(CRITICAL_WHEN_MAX, { message: `must have at most ${CRITICAL_WHEN_MAX} characters` })
    .optional(),
});

/** Where in the file a problem is: `entry 3 (QC_SEC_1)`, naming the id when the entry has a readable one. */
function entryName(input: unknown, index: number): string {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== ''
    ? `entry ${index + 1} (${id.slice(0, ID_MAX)})`
    : `entry ${index + 1}`;
}

export type QcCriteriaParse =
  | { readonly ok: true; readonly criteria: readonly QcCriterion[] }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads the criteria file's content (already parsed from JSON): an array of
 * `{ "id", "name", "critical", "criticalWhen"? }`. The first problem comes back as one sentence naming the
 * entry and its field.
 */
export function parseQcCriteria(input: unknown): QcCriteriaParse {
  const fail = (problem: string): QcCriteriaParse => ({ ok: false, problem });
  if (!Array.isArray(input)) {
    return fail(
      'must be a JSON array of criteria such as [{ "id": "QC_DOC_1", "name": "Release Notes", "critical": true }].',
    );
  }
  if (input.length === 0) return fail('lists no criteria; give at least one.');
  if (input.length > MAX_QC_CRITERIA) {
    return fail(
      `lists ${input.length} criteria; at most ${MAX_QC_CRITERIA} fit the Verification passed form (a Slack form holds 100 blocks, two per criterion).`,
    );
  }
  const criteria: QcCriterion[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of input.entries()) {
    const parsed = criterionSchema.safeParse(entry);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const field = issue?.path.join('.') ?? '';
      const message =
        issue?.code === 'unrecognized_keys'
          ? `has an unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}; the fields are id, name, critical and criticalWhen`
          : field === ''
            ? 'must be an object with id, name and critical'
            : `"${field}" ${issue?.message ?? 'is not valid'}`;
      return fail(`${entryName(entry, index)}: ${message}.`);
    }
    const { id, name, critical, criticalWhen } = parsed.data;
    const first = seen.get(id);
    if (first !== undefined)
      return fail(`${entryName(entry, index)}: "id" ${id} is already entry ${first + 1}'s.`);
    seen.set(id, index);
    if (criticalWhen !== undefined && !critical) {
      return fail(`${entryName(entry, index)}: "criticalWhen" is given, so "critical" must be true.`);
    }
    criteria.push({ id, name, critical, ...(criticalWhen === undefined ? {} : { criticalWhen }) });
  }
  return { ok: true, criteria };
}

/** "QC_DOC_1 Release Notes" */
export const criterionTitle = (criterion: Pick<QcCriterion, 'id' | 'name'>): string =>
  `${criterion.id} ${criterion.name}`;

/** "Critical.", "Critical for user-side services and tools.", or null. */
export function criticalText(criterion: QcCriterion): string | null {
  if (!criterion.critical) return null;
  return criterion.criticalWhen ? `Critical ${criterion.criticalWhen}.` : 'Critical.';
}

export const isQcResult = (value: unknown): value is QcResultValue =>
  typeof value === 'string' && (QC_RESULTS as readonly string[]).includes(value);

/** The field of a criterion's result and of its note, as the Verification passed form names its blocks. */
export const qcResultField = (id: string) => `qc:${id}`;
export const qcNoteField = (id: string) => `qcnote:${id}`;
/** The field of Verification failed that lists the criteria that failed. */
export const QC_FAILED_FIELD = 'failedCriteria';

const noteOf = (answer: QcAnswer | undefined): string | null => {
  const note = answer?.note?.trim();
  return note ? note : null;
};

/** The answers, one per criterion in the criteria's order; answers for other ids are not part of it. */
export function qcResultsOf(criteria: readonly QcCriterion[], answers: readonly QcAnswer[]): QcResult[] {
  const byId = new Map<string, QcAnswer>();
  for (const answer of answers) if (!byId.has(answer.id)) byId.set(answer.id, answer);
  return criteria.map((criterion) => {
    const answer = byId.get(criterion.id);
    return {
      id: criterion.id,
      name: criterion.name,
      critical: criterion.critical,
      result: isQcResult(answer?.result) ? answer.result : null,
      note: noteOf(answer),
    };
  });
}

/**
 * What stops Verification passed, by field: a critical criterion without an answer or failed, an answer that is
 * not a result, Not applicable or a Warning without a note (a Warning becomes a known issue of the release), a
 * note too long.
 */
export function qcPassProblems(
  criteria: readonly QcCriterion[],
  answers: readonly QcAnswer[],
): { readonly field: string; readonly message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const byId = new Map<string, QcAnswer>();
  for (const answer of answers) if (!byId.has(answer.id)) byId.set(answer.id, answer);
  for (const criterion of criteria) {
    const title = criterionTitle(criterion);
    const answer = byId.get(criterion.id);
    const given = answer?.result ?? null;
    const note = noteOf(answer);
    if (given !== null && !isQcResult(given)) {
      problems.push({
        field: qcResultField(criterion.id),
        message: `${title}: choose OK, Warning, Fail or Not applicable.`,
      });
    } else if (criterion.critical && (given === null || given === 'fail')) {
      problems.push({
        field: qcResultField(criterion.id),
        message: `${title} is critical: ${given === null ? 'give its result' : 'it failed, so use Verification failed instead'}; the move needs OK, Warning or Not applicable.`,
      });
    }
    if (given === 'not_applicable' && note === null) {
      problems.push({ field: qcNoteField(criterion.id), message: `Say why ${title} does not apply.` });
    } else if (given === 'warning' && note === null) {
      problems.push({
        field: qcNoteField(criterion.id),
        message: `Describe the warning on ${title}: it becomes a known issue of the release.`,
      });
    }
    if (note !== null && note.length > QC_NOTE_MAX) {
      problems.push({
        field: qcNoteField(criterion.id),
        message: `The note on ${criterion.id} has ${note.length} characters; keep it to ${QC_NOTE_MAX}.`,
      });
    }
  }
  return problems;
}

/** The criteria named as failed, each with result `fail`, in the criteria's order; unknown ids are problems. */
export function qcFailedResults(
  criteria: readonly QcCriterion[],
  failedIds: readonly string[],
): { readonly results: QcResult[]; readonly unknown: readonly string[] } {
  const failed = new Set(failedIds);
  const known = new Set(criteria.map((criterion) => criterion.id));
  return {
    results: criteria
      .filter((criterion) => failed.has(criterion.id))
      .map(({ id, name, critical }) => ({ id, name, critical, result: 'fail', note: null })),
    unknown: [...failed].filter((id) => !known.has(id)),
  };
}

/** The Warnings of a verification as known-issue lines, `QC_SEC_5 World Writable Files: <note>`. */
export function qcWarnings(results: readonly QcResult[]): string[] {
  return results
    .filter((result) => result.result === 'warning')
    .map((result) => `${criterionTitle(result)}${result.note ? `: ${result.note}` : ''}`);
}

/** How many criteria had each result (and how many had none), in QC_RESULTS order. */
export function qcCounts(results: readonly QcResult[]): {
  readonly [K in QcResultValue | 'unanswered']: number;
} {
  const counts = { ok: 0, warning: 0, fail: 0, not_applicable: 0, unanswered: 0 };
  for (const result of results) counts[result.result ?? 'unanswered'] += 1;
  return counts;
}

/** One line for exports: `QC_DOC_1=ok; QC_SEC_5=warning: note`. */
export function qcSummaryLine(results: readonly QcResult[]): string {
  return results
    .map((result) => `${result.id}=${result.result ?? 'unanswered'}${result.note ? `: ${result.note}` : ''}`)
    .join('; ');
}
