import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyOf, listRefusals } from '../../src/db/repositories/audit.js';
import { insertProduct } from '../../src/db/repositories/products.js';
import {
  ConflictError,
  findProduct,
  getProduct,
  getProducts,
  InvalidInputError,
  importProducts,
  NotFoundError,
  productsCallerMaySubmit,
  RefusedError,
  registerProduct,
  submit,
  updateProduct,
} from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  openTestStore,
  STAFF,
  STRANGER,
  type TestStore,
} from '../support/database.js';
import { caught } from '../support/errors.js';

let store: TestStore;
beforeEach(() => {
  // Wed 2027-03-03 14:00 in Amsterdam.
  store = openTestStore({ start: '2027-03-03T13:00:00Z' });
});
afterEach(() => store.cleanup());

/** The error the work threw, checked to be of the expected kind. */

const messagesOf = (error: InvalidInputError) => error.problems.map((problem) => problem.message);

const FULL_CARD = {
  ...ARC_CARD,
  website: 'https://www.nordugrid.org/arc/',
  teamLeader: 'Jane Doe',
  description: 'Advanced Resource Connector: a grid middleware.',
  repositoryUrl: 'https://source.coderefinery.org/nordugrid/arc',
  documentationLinks: ['https://www.nordugrid.org/documents/', 'https://www.nordugrid.org/arc/arc7/'],
};

const DCACHE_CARD = {
  name: 'dCache',
  team: 'dCache.org',
  contacts: ['UDCACHE1'],
  platforms: ['el9/x86_64'],
};

describe('registerProduct', () => {
  it('when a staff member registers a card, then every field is stored and read back by name in any case', () => {
    const card = registerProduct(store.ctx, FULL_CARD, STAFF);

    const stored = getProduct(store.ctx, 'arc');
    expect(stored).toEqual(card);
    expect(stored).toEqual({
      id: card.id,
      name: 'ARC',
      team: 'NorduGrid',
      supportEmail: 'arc-support@example.org',
      website: 'https://www.nordugrid.org/arc/',
      teamLeader: 'Jane Doe',
      description: 'Advanced Resource Connector: a grid middleware.',
      repositoryUrl: 'https://source.coderefinery.org/nordugrid/arc',
      documentationLinks: ['https://www.nordugrid.org/documents/', 'https://www.nordugrid.org/arc/arc7/'],
      contacts: ['UCONTACT1', 'UCONTACT2'],
      contactChannel: 'C0456EFGH',
      earlyAdopterSites: ['SITE-A'],
      platforms: ['el9/x86_64', 'el8/x86_64'],
    });
  });

  it('when a card gives only a name, then the other fields are empty', () => {
    registerProduct(store.ctx, { name: '  CVMFS  ' }, STAFF);

    expect(getProduct(store.ctx, 'CVMFS')).toMatchObject({
      name: 'CVMFS',
      team: null,
      supportEmail: null,
      documentationLinks: [],
      contacts: [],
      platforms: [],
    });
  });

  it('when a card of the same name in another case exists, then it is a conflict that says to edit it instead', () => {
    registerProduct(store.ctx, ARC_CARD, STAFF);

    const error = caught(ConflictError, () =>
      registerProduct(store.ctx, { name: 'arc', team: 'Other' }, STAFF),
    );

    expect(error.message).toBe('A Product ID card named ARC exists already; edit it instead.');
    expect(getProducts(store.ctx)).toHaveLength(1);
    expect(getProduct(store.ctx, 'ARC').team).toBe('NorduGrid');
  });

  // FIXED: names are compared with SQLite's lower(), which folds only ASCII letters (both in
  // findProductByName and in the products_name_unique index on lower(name)). "Überftp" and "überftp" are
  // therefore stored as two cards, although names are meant to be unique regardless of case; importProducts
  // even treats them as one name inside a file (it uses JavaScript's toLowerCase) but not against the store.
  it('when a name differs from a stored one only in the case of a non-ASCII letter, then it is a conflict', () => {
    registerProduct(store.ctx, { name: 'Überftp' }, STAFF);

    const error = caught(ConflictError, () => registerProduct(store.ctx, { name: 'überftp' }, STAFF));

    expect(error.message).toBe('A Product ID card named Überftp exists already; edit it instead.');
    expect(getProducts(store.ctx).map((card) => card.name)).toEqual(['Überftp']);
  });

  it('when a card has a field the format does not know, then it is refused naming the known fields', () => {
    const error = caught(InvalidInputError, () =>
      registerProduct(store.ctx, { name: 'ARC', owner: 'NorduGrid' }, STAFF),
    );

    expect(messagesOf(error)).toEqual([
      'unknown field(s) owner; known fields: name, team, supportEmail, website, teamLeader, description, ' +
        'repositoryUrl, documentationLinks, contacts, contactChannel, earlyAdopterSites, platforms.',
    ]);
    expect(getProducts(store.ctx)).toEqual([]);
  });

  it('when a card names a platform that is not configured, then it is refused listing the configured ones', () => {
    const error = caught(InvalidInputError, () =>
      registerProduct(store.ctx, { ...ARC_CARD, platforms: ['el9/x86_64', 'el7/x86_64', 'sl6/i386'] }, STAFF),
    );

    expect(messagesOf(error)).toEqual([
      'platforms: el7/x86_64, sl6/i386 are not configured; choose from el9/x86_64, el8/x86_64, ubuntu22/amd64.',
    ]);
    expect(getProducts(store.ctx)).toEqual([]);
  });

  it('when a card has several bad fields, then every one is named with what is wrong', () => {
    const error = caught(InvalidInputError, () =>
      registerProduct(
        store.ctx,
        { name: 'ARC', supportEmail: 'arc-support', website: 'www.nordugrid.org', contacts: ['jane'] },
        STAFF,
      ),
    );

    expect(messagesOf(error)).toEqual([
      'supportEmail: must be an email address.',
      'website: "www.nordugrid.org" is not an http(s) link.',
      'contacts.0: must be a Slack user id, such as U0123ABCD.',
    ]);
  });

  it('when someone who is not staff registers a card, then it is refused, the refusal is recorded and no card is written', () => {
    const error = caught(RefusedError, () => registerProduct(store.ctx, ARC_CARD, CONTACT));

    expect(error.code).toBe('REFUSED_WRONG_ROLE');
    expect(error.message).toBe(
      'Only the UMD team can create or edit Product ID cards. Ask them in the UMD channel.',
    );
    expect(listRefusals(store.handle.db)).toEqual([
      {
        id: 1,
        subjectType: 'product',
        subjectId: null,
        event: 'register_product',
        actor: CONTACT.userId,
        kind: 'wrong_role',
        reason: 'Only the UMD team can create or edit Product ID cards. Ask them in the UMD channel.',
        at: new Date('2027-03-03T13:00:00Z'),
      },
    ]);
    expect(getProducts(store.ctx)).toEqual([]);
  });

  it('when a card is registered, then a history row names who registered it and when', () => {
    const card = registerProduct(store.ctx, ARC_CARD, STAFF);

    expect(historyOf(store.handle.db, 'product', card.id)).toEqual([
      {
        id: 1,
        subjectType: 'product',
        subjectId: card.id,
        event: 'register_product',
        fromStatus: null,
        toStatus: null,
        actor: STAFF.userId,
        reason: null,
        at: new Date('2027-03-03T13:00:00Z'),
      },
    ]);
  });
});

describe('updateProduct', () => {
  it('when staff change some fields, then only those change and the rest is kept', () => {
    const before = registerProduct(store.ctx, FULL_CARD, STAFF);

    const after = updateProduct(
      store.ctx,
      'arc',
      { team: 'NorduGrid collaboration', contacts: ['UCONTACT3'], platforms: ['el9/x86_64'] },
      STAFF,
    );

    expect(after).toEqual({
      ...before,
      team: 'NorduGrid collaboration',
      contacts: ['UCONTACT3'],
      platforms: ['el9/x86_64'],
    });
    expect(getProduct(store.ctx, 'ARC')).toEqual(after);
  });

  it('when a field is set to null or an empty text, then it is cleared', () => {
    registerProduct(store.ctx, FULL_CARD, STAFF);

    const after = updateProduct(store.ctx, 'ARC', { teamLeader: null, description: '   ' }, STAFF);

    expect(after.teamLeader).toBeNull();
    expect(after.description).toBeNull();
    expect(after.team).toBe('NorduGrid');
  });

  it('when the card is updated, then a second history row is added after the registration', () => {
    const card = registerProduct(store.ctx, ARC_CARD, STAFF);
    store.clock.set('2027-03-05T08:30:00Z');

    updateProduct(store.ctx, 'ARC', { supportEmail: 'support@nordugrid.org' }, STAFF);

    expect(historyOf(store.handle.db, 'product', card.id)).toMatchObject([
      { event: 'register_product', actor: STAFF.userId, at: new Date('2027-03-03T13:00:00Z') },
      { event: 'update_product', actor: STAFF.userId, at: new Date('2027-03-05T08:30:00Z') },
    ]);
  });

  it('when no card has that name, then it says so', () => {
    const error = caught(NotFoundError, () => updateProduct(store.ctx, 'ARC', { team: 'x' }, STAFF));

    expect(error.message).toBe('There is no Product ID card named ARC.');
  });

  it('when an update names an unconfigured platform, then it is refused and the card is unchanged', () => {
    registerProduct(store.ctx, ARC_CARD, STAFF);

    const error = caught(InvalidInputError, () =>
      updateProduct(store.ctx, 'ARC', { platforms: ['el7/x86_64'] }, STAFF),
    );

    expect(messagesOf(error)).toEqual([
      'platforms: el7/x86_64 is not configured; choose from el9/x86_64, el8/x86_64, ubuntu22/amd64.',
    ]);
    expect(getProduct(store.ctx, 'ARC').platforms).toEqual(['el9/x86_64', 'el8/x86_64']);
  });

  it("when a product's own contact edits its card, then it is refused and recorded against the card, which is unchanged", () => {
    const card = registerProduct(store.ctx, ARC_CARD, STAFF);

    const error = caught(RefusedError, () => updateProduct(store.ctx, 'ARC', { team: 'Mine now' }, CONTACT));

    expect(error.code).toBe('REFUSED_WRONG_ROLE');
    expect(listRefusals(store.handle.db)).toMatchObject([
      { subjectType: 'product', subjectId: card.id, event: 'update_product', actor: CONTACT.userId },
    ]);
    expect(getProduct(store.ctx, 'ARC').team).toBe('NorduGrid');
    expect(historyOf(store.handle.db, 'product', card.id)).toHaveLength(1);
  });
});

describe('importProducts', () => {
  it('when a list is imported, then every card is created and named as created', () => {
    const result = importProducts(store.ctx, [ARC_CARD, DCACHE_CARD], STAFF);

    expect(result).toEqual({ created: ['ARC', 'dCache'], updated: [] });
    expect(getProducts(store.ctx).map((card) => card.name)).toEqual(['ARC', 'dCache']);
    expect(getProduct(store.ctx, 'dcache')).toMatchObject({ team: 'dCache.org', contacts: ['UDCACHE1'] });
  });

  it('when the same list is imported twice, then the second import updates and nothing is duplicated', () => {
    importProducts(store.ctx, [ARC_CARD, DCACHE_CARD], STAFF);
    store.clock.set('2027-03-04T10:00:00Z');

    const again = importProducts(
      store.ctx,
      [{ ...ARC_CARD, name: 'arc', team: 'NorduGrid collaboration' }, DCACHE_CARD],
      STAFF,
    );

    expect(again).toEqual({ created: [], updated: ['ARC', 'dCache'] });
    const cards = getProducts(store.ctx);
    expect(cards.map((card) => card.name)).toEqual(['ARC', 'dCache']);
    expect(cards[0]?.team).toBe('NorduGrid collaboration');
  });

  it('when a list mixes new and known cards, then it says which were created and which updated', () => {
    registerProduct(store.ctx, ARC_CARD, STAFF);

    const result = importProducts(store.ctx, [{ name: 'ARC', team: 'NorduGrid 2' }, DCACHE_CARD], STAFF);

    expect(result).toEqual({ created: ['dCache'], updated: ['ARC'] });
    // A field the file leaves out keeps its value.
    expect(getProduct(store.ctx, 'ARC')).toMatchObject({ team: 'NorduGrid 2', contacts: ARC_CARD.contacts });
  });

  it('when cards are imported, then each gets a history row of its own', () => {
    registerProduct(store.ctx, ARC_CARD, STAFF);

    importProducts(store.ctx, [ARC_CARD, DCACHE_CARD], STAFF);

    const arc = getProduct(store.ctx, 'ARC');
    const dcache = getProduct(store.ctx, 'dCache');
    expect(historyOf(store.handle.db, 'product', arc.id).map((row) => row.event)).toEqual([
      'register_product',
      'update_product',
    ]);
    expect(historyOf(store.handle.db, 'product', dcache.id).map((row) => row.event)).toEqual([
      'register_product',
    ]);
  });

  it('when some cards in a list are bad, then every problem is listed by position and name and nothing is imported', () => {
    const list = [
      ARC_CARD,
      { name: 'dCache', supportEmail: 'not-an-email', contacts: ['bob'] },
      { team: 'Nameless' },
      { name: 'CVMFS', platforms: ['el7/x86_64'] },
      { name: 'FTS', homepage: 'https://fts.web.cern.ch/' },
    ];

    const error = caught(InvalidInputError, () => importProducts(store.ctx, list, STAFF));

    expect(messagesOf(error)).toEqual([
      'product 2 (dCache): supportEmail: must be an email address.',
      'product 2 (dCache): contacts.0: must be a Slack user id, such as U0123ABCD.',
      'product 3: name: every product needs a name.',
      'product 4 (CVMFS): platforms: el7/x86_64 is not configured; choose from el9/x86_64, el8/x86_64, ubuntu22/amd64.',
      'product 5 (FTS): unknown field(s) homepage; known fields: name, team, supportEmail, website, teamLeader, ' +
        'description, repositoryUrl, documentationLinks, contacts, contactChannel, earlyAdopterSites, platforms.',
    ]);
    expect(getProducts(store.ctx)).toEqual([]);
  });

  it('when a list names a product twice, then the second one is reported and nothing is imported', () => {
    const error = caught(InvalidInputError, () =>
      importProducts(store.ctx, [ARC_CARD, DCACHE_CARD, { name: 'arc' }], STAFF),
    );

    expect(messagesOf(error)).toEqual(['product 3 (arc): the name arc appears twice in the file.']);
    expect(getProducts(store.ctx)).toEqual([]);
  });

  // FIXED: importProducts checks a card's platforms only when the rest of the card parsed, so a card with a bad
  // field AND an unconfigured platform reports only the bad field. The file is fixed and imported again, and
  // only then is the platform reported: not "every problem listed" at once.
  it('when one card has both a bad field and an unconfigured platform, then both are listed', () => {
    const error = caught(InvalidInputError, () =>
      importProducts(store.ctx, [{ name: 'CVMFS', supportEmail: 'nope', platforms: ['el7/x86_64'] }], STAFF),
    );

    expect(messagesOf(error)).toEqual([
      'product 1 (CVMFS): supportEmail: must be an email address.',
      'product 1 (CVMFS): platforms: el7/x86_64 is not configured; choose from el9/x86_64, el8/x86_64, ubuntu22/amd64.',
    ]);
  });

  it('when the file does not hold a list, then it says what it must hold', () => {
    const error = caught(InvalidInputError, () => importProducts(store.ctx, { products: [ARC_CARD] }, STAFF));

    expect(messagesOf(error)).toEqual([
      'The file must hold a list of products (a JSON array or a YAML list).',
    ]);
  });

  it('when someone who is not staff imports a list, then it is refused, recorded, and no card is written', () => {
    const error = caught(RefusedError, () => importProducts(store.ctx, [ARC_CARD, DCACHE_CARD], STRANGER));

    expect(error.code).toBe('REFUSED_WRONG_ROLE');
    expect(listRefusals(store.handle.db)).toMatchObject([
      { subjectType: 'product', subjectId: null, event: 'import_products', actor: STRANGER.userId },
    ]);
    expect(getProducts(store.ctx)).toEqual([]);
  });
});

describe('getProduct and getProducts', () => {
  it('when several cards exist, then they are listed by name without regard to case', () => {
    importProducts(store.ctx, [{ name: 'xrootd' }, ARC_CARD, DCACHE_CARD, { name: 'CVMFS' }], STAFF);

    expect(getProducts(store.ctx).map((card) => card.name)).toEqual(['ARC', 'CVMFS', 'dCache', 'xrootd']);
  });

  it('when no card has the name asked for, then it says so', () => {
    registerProduct(store.ctx, ARC_CARD, STAFF);

    const error = caught(NotFoundError, () => getProduct(store.ctx, 'dCache'));

    expect(error.message).toBe('There is no Product ID card named dCache.');
  });
});

describe('a card saved with platform names from before UMD 5 (PLATFORMS now al9/x86_64)', () => {
  let umd5: TestStore;
  beforeEach(() => {
    umd5 = openTestStore({ start: '2027-03-03T13:00:00Z', env: { PLATFORMS: '' } });
    // As an older cmd-bot stored it, when el9/x86_64 was configured.
    const card = {
      name: 'ARC',
      ...{ team: null, supportEmail: null, website: null, teamLeader: null, description: null },
      ...{ repositoryUrl: null, documentationLinks: [], contactChannel: null, earlyAdopterSites: [] },
      contacts: [CONTACT.userId],
      platforms: ['el9/x86_64'],
    };
    insertProduct(umd5.ctx.db, card, umd5.clock.now());
  });
  afterEach(() => umd5.cleanup());

  it('when a form reads it, then it shows al9/x86_64, and a release submitted without platforms is filed so', () => {
    expect(findProduct(umd5.ctx, 'ARC')?.platforms).toEqual(['al9/x86_64']);
    expect(productsCallerMaySubmit(umd5.ctx, CONTACT).map((card) => card.platforms)).toEqual([
      ['al9/x86_64'],
    ]);
    const { submission } = submit(umd5.ctx, { ...ARC_RELEASE }, CONTACT);
    expect(submission.platforms).toEqual(['al9/x86_64']);
    expect(submission.packagesByPlatform).toEqual({ 'al9/x86_64': ARC_RELEASE.packages });
  });

  it('when it is saved with el9/x86_64 written, then al9/x86_64 is stored', () => {
    const card = updateProduct(umd5.ctx, 'ARC', { name: 'ARC', platforms: ['el9/x86_64'] }, STAFF);
    expect(card.platforms).toEqual(['al9/x86_64']);
  });
});
