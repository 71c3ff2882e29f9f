import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QC_CRITERIA,
  MAX_QC_CRITERIA,
  parseQcCriteria,
  type QcAnswer,
  type QcCriterion,
  qcCounts,
  qcFailedResults,
  qcPassProblems,
  qcResultsOf,
  qcSummaryLine,
  qcWarnings,
} from '../../src/domain/quality-criteria.js';

const CRITERIA: readonly QcCriterion[] = [
  { id: 'QC_DOC_1', name: 'Release Notes', critical: true },
  {
    id: 'QC_DOC_2',
    name: 'User Documentation',
    critical: true,
    criticalWhen: 'for user-side services and tools',
  },
  { id: 'QC_DOC_3', name: 'API Documentation', critical: false },
];

const answer = (id: string, result: QcAnswer['result'], note: string | null = null): QcAnswer => ({
  id,
  result,
  note,
});
const problemOf = (input: unknown) => {
  const parsed = parseQcCriteria(input);
  if (parsed.ok) throw new Error('expected the file to be refused');
  return parsed.problem;
};

describe('the criteria file', () => {
  it('when the shipped deploy/qc-criteria.json is read, then it is the built-in list', () => {
    const file = JSON.parse(readFileSync(new URL('../../deploy/qc-criteria.json', import.meta.url), 'utf8'));
    expect(file).toEqual(DEFAULT_QC_CRITERIA);
    expect(parseQcCriteria(file)).toEqual({ ok: true, criteria: DEFAULT_QC_CRITERIA });
  });

  it('when the built-in list is read, then it holds the 21 criteria of PROCESS.md, the conditional ones critical', () => {
    expect(DEFAULT_QC_CRITERIA).toHaveLength(21);
    expect(DEFAULT_QC_CRITERIA.filter((c) => c.criticalWhen).map((c) => [c.id, c.critical])).toEqual([
      ['QC_DOC_2', true],
      ['QC_SEC_1', true],
    ]);
    expect(DEFAULT_QC_CRITERIA.filter((c) => !c.critical).map((c) => c.id)).toEqual([
      'QC_DOC_3',
      'QC_UPGRADE_1',
      'QC_SEC_3',
      'QC_SEC_4',
      'QC_INFO_1',
      'QC_INFO_3',
      'QC_FUNC_2',
    ]);
  });

  it('when an entry is wrong, then one sentence names the entry and its field', () => {
    expect(problemOf({ id: 'QC_DOC_1' })).toBe(
      'must be a JSON array of criteria such as [{ "id": "QC_DOC_1", "name": "Release Notes", "critical": true }].',
    );
    expect(problemOf([])).toBe('lists no criteria; give at least one.');
    expect(problemOf([{ id: 'QC_DOC_1', name: 'Release Notes', critical: 'yes' }])).toBe(
      'entry 1 (QC_DOC_1): "critical" must be true or false.',
    );
    expect(problemOf([...CRITERIA, { id: 'qc-doc-4', name: 'Admin', critical: true }])).toBe(
      'entry 4 (qc-doc-4): "id" must look like QC_DOC_1: QC_ then capital letters, digits and _.',
    );
    expect(problemOf([{ id: 'QC_DOC_1', name: ' ', critical: true }])).toBe(
      'entry 1 (QC_DOC_1): "name" must not be empty.',
    );
    expect(problemOf([{ name: 'Release Notes', critical: true }])).toBe(
      'entry 1: "id" must be a text such as "QC_DOC_1".',
    );
    expect(problemOf(['QC_DOC_1'])).toBe('entry 1: must be an object with id, name and critical.');
    expect(problemOf([{ id: 'QC_DOC_1', name: 'Release Notes', critical: true, critcal: false }])).toBe(
      'entry 1 (QC_DOC_1): has an unknown field "critcal"; the fields are id, name, critical and criticalWhen.',
    );
    expect(
      problemOf([{ id: 'QC_DOC_1', name: 'Release Notes', critical: false, criticalWhen: 'for tools' }]),
    ).toBe('entry 1 (QC_DOC_1): "criticalWhen" is given, so "critical" must be true.');
  });

  it('when two entries share an id, then the second is refused, naming the first', () => {
    expect(problemOf([...CRITERIA, { id: 'QC_DOC_2', name: 'Again', critical: false }])).toBe(
      'entry 4 (QC_DOC_2): "id" QC_DOC_2 is already entry 2\'s.',
    );
  });

  it('when the file lists more criteria than the Verification passed form holds, then it is refused', () => {
    const many = Array.from({ length: MAX_QC_CRITERIA + 1 }, (_, i) => ({
      id: `QC_X_${i}`,
      name: `Criterion ${i}`,
      critical: false,
    }));
    expect(problemOf(many)).toBe(
      'lists 46 criteria; at most 45 fit the Verification passed form (a Slack form holds 100 blocks, two per criterion).',
    );
    expect(parseQcCriteria(many.slice(0, MAX_QC_CRITERIA)).ok).toBe(true);
  });
});

describe('Verification passed: the answers', () => {
  const allOk = CRITERIA.map((c) => answer(c.id, 'ok'));

  it('when every criterion is OK, then nothing stops the move', () => {
    expect(qcPassProblems(CRITERIA, allOk)).toEqual([]);
  });

  it('when a critical criterion has no answer or failed, then its field says so by id and name', () => {
    expect(qcPassProblems(CRITERIA, [answer('QC_DOC_2', 'fail'), answer('QC_DOC_3', null)])).toEqual([
      {
        field: 'qc:QC_DOC_1',
        message:
          'QC_DOC_1 Release Notes is critical: give its result; the move needs OK, Warning or Not applicable.',
      },
      {
        field: 'qc:QC_DOC_2',
        message:
          'QC_DOC_2 User Documentation is critical: it failed, so use Verification failed instead; the move needs OK, Warning or Not applicable.',
      },
    ]);
  });

  it('when a criterion that is not critical fails or has no answer, then the move may go ahead', () => {
    expect(qcPassProblems(CRITERIA, [...allOk.slice(0, 2), answer('QC_DOC_3', 'fail')])).toEqual([]);
    expect(qcPassProblems(CRITERIA, allOk.slice(0, 2))).toEqual([]);
  });

  it('when Not applicable or a Warning comes without a note, then the note field asks for one', () => {
    expect(
      qcPassProblems(CRITERIA, [
        answer('QC_DOC_1', 'warning', '  '),
        answer('QC_DOC_2', 'not_applicable'),
        answer('QC_DOC_3', 'not_applicable', 'No API'),
      ]),
    ).toEqual([
      {
        field: 'qcnote:QC_DOC_1',
        message: 'Describe the warning on QC_DOC_1 Release Notes: it becomes a known issue of the release.',
      },
      { field: 'qcnote:QC_DOC_2', message: 'Say why QC_DOC_2 User Documentation does not apply.' },
    ]);
  });

  it('when an answer is not a result or a note is too long, then that field says so', () => {
    expect(
      qcPassProblems(CRITERIA, [
        answer('QC_DOC_1', 'maybe' as QcAnswer['result']),
        answer('QC_DOC_2', 'ok', 'x'.repeat(501)),
      ]),
    ).toEqual([
      {
        field: 'qc:QC_DOC_1',
        message: 'QC_DOC_1 Release Notes: choose OK, Warning, Fail or Not applicable.',
      },
      { field: 'qcnote:QC_DOC_2', message: 'The note on QC_DOC_2 has 501 characters; keep it to 500.' },
    ]);
  });

  it('when the answers are recorded, then each criterion has one result in the list order, notes trimmed', () => {
    const results = qcResultsOf(CRITERIA, [
      answer('QC_DOC_3', 'warning', ' Only partly documented '),
      answer('QC_UNKNOWN', 'ok'),
      answer('QC_DOC_1', 'ok', ''),
      answer('QC_DOC_1', 'fail'),
    ]);
    expect(results).toEqual([
      { id: 'QC_DOC_1', name: 'Release Notes', critical: true, result: 'ok', note: null },
      { id: 'QC_DOC_2', name: 'User Documentation', critical: true, result: null, note: null },
      {
        id: 'QC_DOC_3',
        name: 'API Documentation',
        critical: false,
        result: 'warning',
        note: 'Only partly documented',
      },
    ]);
    expect(qcWarnings(results)).toEqual(['QC_DOC_3 API Documentation: Only partly documented']);
    expect(qcCounts(results)).toEqual({ ok: 1, warning: 1, fail: 0, not_applicable: 0, unanswered: 1 });
    expect(qcSummaryLine(results)).toBe(
      'QC_DOC_1=ok; QC_DOC_2=unanswered; QC_DOC_3=warning: Only partly documented',
    );
  });
});

describe('Verification failed: the criteria that failed', () => {
  it('when criteria are named, then they are recorded as failed in the list order; unknown ids are returned', () => {
    expect(qcFailedResults(CRITERIA, ['QC_DOC_3', 'QC_NOPE', 'QC_DOC_1'])).toEqual({
      results: [
        { id: 'QC_DOC_1', name: 'Release Notes', critical: true, result: 'fail', note: null },
        { id: 'QC_DOC_3', name: 'API Documentation', critical: false, result: 'fail', note: null },
      ],
      unknown: ['QC_NOPE'],
    });
  });
});
