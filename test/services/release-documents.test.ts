/**
 * A release's documents, built from real tickets on a real database: the distribution document and product file
 * in the shapes of EGI's real files (test/fixtures/egi, copied as they are), and the release notes in Markdown.
 * UMD 5's platforms (al9/x86_64 through the default aliases, and el8/x86_64); ARC comes from EGI's real UMD5
 * descriptor, VOMS (a security release) is typed, its card filling in the rest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Caller,
  checkDelays,
  createRelease,
  getReleaseDocuments,
  inject,
  markReady,
  NotFoundError,
  passVerification,
  recordEarlyAdopterReport,
  registerProduct,
  startVerification,
  submit,
  submitDescriptor,
} from '../../src/services/index.js';
import { CONTACT, openTestStore, STAFF, type TestStore } from '../support/database.js';
import { decodedOnce } from '../support/html.js';
import { QC_ALL_OK } from '../support/qc.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const real = (path: string) =>
  JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>;
const REAL_DISTRIBUTION = real('egi/distribution-CMD-OS-1.3.0.json') as Record<string, unknown> & {
  products: Record<string, unknown>[];
};
const REAL_PRODUCT = real('egi/product-CMD-OS-1.3.0-ifca.caso1.4.0.json');
const ARC_DESCRIPTOR = 'arc6-6.20.1-el9.json';
const HOSTILE = 'files under /var/tmp are world-writable <script>alert(1)</script> & more';

const ADOPTER: Caller = { userId: 'UADOPTER1', staff: false };
const OTHER_ADOPTER: Caller = { userId: 'UADOPTER2', staff: false };

let store: TestStore;
beforeEach(() => {
  store = openTestStore({
    start: '2027-03-01T09:00:00Z',
    env: { PLATFORMS: 'al9/x86_64,el8/x86_64' },
  });
  registerProduct(
    store.ctx,
    { name: 'ARC', team: 'NorduGrid', supportEmail: 'arc@example.org', contacts: [CONTACT.userId] },
    STAFF,
  );
  registerProduct(
    store.ctx,
    {
      name: 'VOMS',
      team: 'INFN',
      supportEmail: 'voms-support@example.org',
      description: 'The Virtual Organization Membership Service.',
      documentationLinks: ['https://italiangrid.github.io/voms/'],
      contacts: [CONTACT.userId],
      platforms: ['al9/x86_64', 'el8/x86_64'],
    },
    STAFF,
  );
});
afterEach(() => store.cleanup());

/** Injected; each ticket through Verification (with `qc`) to Staged Rollout; returns the ticket ids. */
function toStagedRollout(submissionId: number, qc = QC_ALL_OK): number[] {
  const ids = inject(store.ctx, submissionId, { expectedVersion: 1 }, STAFF).tickets.map((t) => t.id);
  for (const id of ids) {
    startVerification(store.ctx, id, { expectedVersion: 1 }, STAFF);
    passVerification(store.ctx, id, { expectedVersion: 2, reportUrl: 'https://qc.example.org/r', qc }, STAFF);
  }
  return ids;
}

/** ARC 6.20.1 from the real descriptor, Ready with a QC Warning and a problem two sites worked around. */
function arcReady(): { submissionId: number; ticketIds: number[] } {
  const { submission } = submitDescriptor(
    store.ctx,
    { json: readFileSync(join(FIXTURES, 'umd5', ARC_DESCRIPTOR), 'utf8'), fileName: ARC_DESCRIPTOR },
    CONTACT,
  );
  const qc = QC_ALL_OK.map((answer) =>
    answer.id === 'QC_SEC_5' ? { ...answer, result: 'warning' as const, note: HOSTILE } : answer,
  );
  const ticketIds = toStagedRollout(submission.id, qc);
  for (const [caller, site] of [
    [ADOPTER, 'SITE-A'],
    [OTHER_ADOPTER, 'SITE-B'],
  ] as const) {
    recordEarlyAdopterReport(
      store.ctx,
      {
        submissionId: submission.id,
        platform: 'al9/x86_64',
        site,
        outcome: 'problem',
        installKind: 'upgrade',
        upgradedFrom: '6.19.0',
        tested: 'job submission',
        details: 'A-REX does not start after the upgrade',
        workaround: 'run arcctl service restart -a',
      },
      caller,
    );
  }
  for (const id of ticketIds) markReady(store.ctx, id, { expectedVersion: 3 }, STAFF);
  return { submissionId: submission.id, ticketIds };
}

/** VOMS 2.1.1, a security release typed in the form, Ready on both platforms. */
function vomsReady(): number[] {
  const { submission } = submit(
    store.ctx,
    {
      product: 'VOMS',
      version: '2.1.1',
      releaseNotes: 'https://github.com/italiangrid/voms/releases/tag/v2.1.1',
      packages: ['voms', 'voms-clients'],
      security: true,
    },
    CONTACT,
  );
  const ids = toStagedRollout(submission.id);
  for (const id of ids) markReady(store.ctx, id, { expectedVersion: 3 }, STAFF);
  return ids;
}

const kind = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);

/** Every key of `realOnes` is in `ours`, and no other; a value has the real one's type, or either is null. */
function expectSameShape(ours: Record<string, unknown>, realOnes: readonly Record<string, unknown>[]): void {
  const keys = [...new Set(realOnes.flatMap((one) => Object.keys(one)))].sort();
  expect(Object.keys(ours).sort()).toEqual(keys);
  for (const key of keys) {
    const realValue = realOnes.map((one) => one[key]).find((value) => value !== null && value !== undefined);
    if (realValue === undefined || ours[key] === null) continue;
    expect([key, kind(ours[key])]).toEqual([key, kind(realValue)]);
  }
}

describe('the distribution document', () => {
  it('when a planned release has two Ready products, then its document has every key of the real file, top level, products and targets, with values from the data', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    store.clock.set('2027-03-02T10:00:00Z');
    arcReady();
    vomsReady();
    // On its way, not Ready: not in the documents.
    const { submission } = submit(
      store.ctx,
      {
        product: 'ARC',
        version: '6.21.0',
        releaseNotes: 'https://www.nordugrid.org/6.21.0',
        packages: ['a'],
        platforms: ['al9/x86_64'],
      },
      CONTACT,
    );
    inject(store.ctx, submission.id, { expectedVersion: 1 }, STAFF);

    const { distribution, productFiles } = getReleaseDocuments(store.ctx, 'umd-5.1.0');

    expectSameShape(distribution as unknown as Record<string, unknown>, [REAL_DISTRIBUTION]);
    for (const product of distribution.products) {
      expectSameShape(product as unknown as Record<string, unknown>, REAL_DISTRIBUTION.products);
      for (const target of product.targets) {
        expectSameShape(
          target as unknown as Record<string, unknown>,
          REAL_DISTRIBUTION.products.flatMap((p) => p.targets as Record<string, unknown>[]),
        );
      }
    }
    expect(distribution).toMatchObject({
      distributionType: 'UMD',
      distributionVersion: '5.1.0',
      currentState: 'planned',
      majorVersion: 5,
      minorVersion: 1,
      revisionVersion: 0,
      releaseDate: '2027-03-15 00:00:00',
      created: '2027-03-01 10:00:00', // Amsterdam
      lastUpdated: '2027-03-02 11:00:00',
      description: 'UMD 5.1.0 is an update of UMD 5. It includes updates for al9/x86_64 and el8/x86_64.',
      repositoryURL: 'sw/production/umd/5',
      contact: null,
      technicalContact: null,
      changeLog:
        'This release adds VOMS 2.1.1 (security) for al9/x86_64 and el8/x86_64 and ARC 6.20.1 for al9/x86_64.',
    });
    // Security first.
    expect(distribution.products.map((p) => [p.name, p.version])).toEqual([
      ['VOMS', '2.1.1'],
      ['ARC', '6.20.1'],
    ]);

    const [voms, arc] = distribution.products;
    // Typed: the card fills in the rest.
    expect(voms).toMatchObject({
      productName: 'VOMS',
      majorVersion: 2,
      minorVersion: 1,
      revisionVersion: 1,
      technologyProvider: 'INFN',
      technologyProviderShortName: 'INFN',
      contact: 'voms-support@example.org',
      description: 'The Virtual Organization Membership Service.',
      releaseNotes: 'https://github.com/italiangrid/voms/releases/tag/v2.1.1',
      changeLog: null,
      capabilities: [],
      capability: null,
      knownIssues: null,
      softwareConfigurationLink: null,
      id: null,
      productId: null,
      distributionId: null,
    });
    expect(JSON.parse(voms?.documentationLinks ?? '')).toEqual({
      documentationLink: { link: 'https://italiangrid.github.io/voms/', type: 'other' },
    });
    expect(voms?.targets.map((t) => [t.platform, t.arch, t.repositoryURL, t.gpgkey, t.rpms])).toEqual([
      [
        'al9',
        'x86_64',
        'sw/production/umd/5/al9/release/x86_64',
        'https://repository.egi.eu/repository/umd/5/UMD-5-RPM-PGP-KEY',
        ['voms', 'voms-clients'],
      ],
      [
        'el8',
        'x86_64',
        'sw/production/umd/5/el8/release/x86_64',
        'https://repository.egi.eu/repository/umd/5/UMD-5-RPM-PGP-KEY',
        ['voms', 'voms-clients'],
      ],
    ]);

    // From the descriptor: its provider, contacts, capabilities, rpms, OS repositories; its "link2" left out.
    expect(arc).toMatchObject({
      technologyProvider: 'NORDUGRID',
      technologyProviderShortName: 'NORDUGRID',
      contact: 'nordugrid-discuss@nordugrid.org',
      repositoryURL: 'sw/production/umd/5/al9/release/x86_64',
      changeLog: 'https://www.nordugrid.org/arc/releases/6.20.1/release_notes_6.20.1.html',
      capabilities: ['Job Scheduling', 'Job ExecutionFile Access'],
      capability: 'Job Scheduling',
      installationNotes: 'ARC 6.20.1 needs these OS repositories enabled: crb.',
      softwareConfigurationLink: null,
    });
    expect(JSON.parse(arc?.documentationLinks ?? '')).toEqual({
      documentationLink: { link: 'https://www.nordugrid.org/arc/arc6/', type: 'other' },
    });
    expect(arc?.targets).toHaveLength(1);
    expect(arc?.targets[0]?.rpms).toHaveLength(33);
    expect(arc?.targets[0]?.rpms?.[0]).toBe(
      'http://download.nordugrid.org/repos/6/rocky/9/x86_64/updates/RPMS/nordugrid-arc-6.20.1-1.el9.x86_64.rpm',
    );

    // Known issues: the QC Warning and the workaround (two sites, one line), escaped as the front end expects.
    const issues = decodedOnce(arc?.knownIssues ?? '');
    expect(issues).toBe(
      '<ul><li>QC_SEC_5 World Writable Files: files under /var/tmp are world-writable &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</li>' +
        '<li>al9/x86_64: A-REX does not start after the upgrade — workaround: run arcctl service restart -a (reported by SITE-A, SITE-B)</li></ul>',
    );
    expect(decodedOnce(distribution.knownIssues ?? '')).toContain(
      '<li>ARC 6.20.1: QC_SEC_5 World Writable Files: files under /var/tmp are world-writable &lt;script&gt;',
    );
    expect(decodedOnce(distribution.knownIssues ?? '')).not.toContain('<script>');

    // The release notes list, escaped once more, as in the real file (`&lt;br&gt;&lt;ul&gt;&lt;li&gt;…`).
    expect(distribution.releaseNotes).toContain('&lt;br&gt;&lt;ul&gt;&lt;li&gt;VOMS 2.1.1 (security)');
    expect(decodedOnce(distribution.releaseNotes ?? '')).toBe(
      'UMD 5.1.0 contains the following products: <br><ul>' +
        '<li>VOMS 2.1.1 (security) for al9/x86_64, el8/x86_64 - release notes: <a href="https://github.com/italiangrid/voms/releases/tag/v2.1.1">https://github.com/italiangrid/voms/releases/tag/v2.1.1</a></li>' +
        '<li>ARC 6.20.1 for al9/x86_64 - release notes: <a href="https://www.nordugrid.org/arc/releases/6.20.1/release_notes_6.20.1.html">https://www.nordugrid.org/arc/releases/6.20.1/release_notes_6.20.1.html</a></li></ul>',
    );

    // One product file each, in the shape of the real one.
    expect(productFiles.map((f) => f.fileName)).toEqual([
      'product-UMD-5.1.0-VOMS2.1.1.json',
      'product-UMD-5.1.0-ARC6.20.1.json',
    ]);
    for (const file of productFiles) {
      expectSameShape(file.product as unknown as Record<string, unknown>, [REAL_PRODUCT]);
    }
    expect(productFiles[1]?.product).toMatchObject({
      name: 'ARC',
      version: '6.20.1',
      documentationLinks: ['https://www.nordugrid.org/arc/arc6/'],
      technologyProvider: 'NORDUGRID',
      distributionType: 'UMD',
      distributionVersion: '5.1.0',
      releaseDate: '2027-03-15 00:00:00',
      majorVersion: 6,
    });
    expect(productFiles[1]?.product.target.map((t) => [t.platform, t.arch])).toEqual([['al9', 'x86_64']]);
  });

  it('when the release is frozen, then it is described with what it holds, not what became Ready after', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    store.clock.set('2027-03-02T10:00:00Z');
    vomsReady();
    checkDelays(store.ctx, new Date('2027-03-09T00:00:00Z'));
    store.clock.set('2027-03-10T10:00:00Z');
    arcReady();

    const { distribution, releaseNotes } = getReleaseDocuments(store.ctx, 'UMD-5.1.0');
    expect(distribution.currentState).toBe('frozen');
    expect(distribution.lastUpdated).toBe('2027-03-09 01:00:00');
    expect(distribution.products.map((p) => [p.name, p.targets.map((t) => t.platform)])).toEqual([
      ['VOMS', ['al9', 'el8']],
    ]);
    expect(releaseNotes).toContain('Frozen on 2027-03-09 01:00 (Europe/Amsterdam): these are its contents.');
  });

  it('when the release does not exist, then it is refused saying so', () => {
    expect(() => getReleaseDocuments(store.ctx, 'UMD-5.9.0')).toThrow(
      new NotFoundError('There is no release UMD 5.9.0; plan it with /cmd-release new.'),
    );
  });
});

describe('the release notes', () => {
  it('when a security release and another are in it, then the Markdown lists the security one first, and a hostile note cannot open a tag', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    store.clock.set('2027-03-02T10:00:00Z');
    arcReady();
    vomsReady();

    const { releaseNotes } = getReleaseDocuments(store.ctx, 'UMD-5.1.0');
    expect(releaseNotes).toBe(
      [
        '# UMD 5.1.0',
        '',
        'Release date: 2027-03-15',
        '',
        'Planned: the products Ready now. Its contents freeze at the cut-off, 2027-03-09 00:00 (Europe/Amsterdam).',
        '',
        '## Products',
        '',
        '- **VOMS 2.1.1** (security) — al9/x86_64, el8/x86_64 — [release notes](https://github.com/italiangrid/voms/releases/tag/v2.1.1)',
        '- **ARC 6.20.1** — al9/x86_64 — [release notes](https://www.nordugrid.org/arc/releases/6.20.1/release_notes_6.20.1.html)',
        '',
        '## Known issues',
        '',
        '### ARC 6.20.1',
        '',
        '- QC_SEC_5 World Writable Files: files under /var/tmp are world-writable &lt;script&gt;alert(1)&lt;/script&gt; &amp; more',
        '- al9/x86_64: A-REX does not start after the upgrade — workaround: run arcctl service restart -a (reported by SITE-A, SITE-B)',
        '',
      ].join('\n'),
    );
    expect(releaseNotes).not.toContain('<script>');
  });

  it('when nothing is Ready yet, then the notes say so', () => {
    createRelease(store.ctx, { name: 'UMD-5.1.0', date: '2027-03-15' }, STAFF);
    const { releaseNotes, distribution, productFiles } = getReleaseDocuments(store.ctx, 'UMD-5.1.0');
    expect(releaseNotes).toContain('## Products\n\nNone yet.');
    expect(releaseNotes).toContain('## Known issues\n\nNone known.');
    expect(distribution.products).toEqual([]);
    expect(distribution.releaseNotes).toBeNull();
    expect(productFiles).toEqual([]);
  });
});
