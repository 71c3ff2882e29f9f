/**
 * Property tests of every parser that reads what people (or files) give cmd-bot: the one-line /cmd-submit, the
 * submit modal's state, the UMD descriptor and the product import. Whatever the input, each either accepts it
 * and what it accepted keeps every rule of a valid submission or card, or refuses it with sentences a person
 * can act on. None throws anything else.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findProductByName, listProducts, productNameKey } from '../../src/db/repositories/products.js';
import { parseHttpLink } from '../../src/domain/links.js';
import { productCardSchema } from '../../src/domain/product.js';
import {
  LIMITS,
  type RawSubmission,
  type SubmissionContext,
  type ValidSubmission,
  validateSubmission,
} from '../../src/domain/submission-input.js';
import { readUmd5Descriptor } from '../../src/domain/umd5-descriptor.js';
import { InvalidInputError, importProducts, type SubmitInput } from '../../src/services/index.js';
import { Form, parseOneLine, submissionFromModal, type ViewState } from '../../src/slack/forms.js';
import { openTestStore, STAFF, type TestStore } from '../support/database.js';

/** Requests, descriptors and import files are JSON (or YAML): no undefined, functions or cycles in them. */
const json = fc.jsonValue({ maxDepth: 3 });

const CONTEXT: SubmissionContext = {
  products: ['ARC', 'dCache'],
  platforms: ['el9/x86_64', 'el8/x86_64'],
  distributions: ['UMD-5', 'CMD-OS-1'],
};
/** What submit() does before validating: platforms left out are the product card's. */
const CARD_PLATFORMS = ['el9/x86_64', 'el8/x86_64'];

// ---------------------------------------------------------------------------------------------------------
// Oracles

/** A message a person can act on: a sentence, not an empty string, a stack trace or "[object Object]". */
function expectSentences(messages: readonly unknown[], where: string): void {
  expect(messages.length, `${where}: no message`).toBeGreaterThan(0);
  for (const message of messages) {
    expect(typeof message, `${where}: ${String(message)}`).toBe('string');
    const text = (message as string).trim();
    expect(text.length, `${where}: an empty message`).toBeGreaterThan(0);
    expect(text, where).not.toMatch(/\[object Object\]|undefined|^\s*at /);
    expect(text, where).toMatch(/[.`)!?]$/);
  }
}

/** Every rule a ValidSubmission promises (src/domain/submission-input.ts). */
function expectValid(value: ValidSubmission, context: SubmissionContext): void {
  expect(context.products).toContain(value.product);
  expect(value.version.length).toBeGreaterThan(0);
  expect(value.version.length).toBeLessThanOrEqual(LIMITS.versionLength);
  expect(value.version).not.toMatch(/\s/);
  expect(parseHttpLink(value.releaseNotes), value.releaseNotes).toBe(value.releaseNotes);
  expect(value.releaseNotes).toMatch(/^https?:\/\//);
  expect(context.distributions).toContain(value.distribution);
  expect(value.platforms.length).toBeGreaterThan(0);
  expect(new Set(value.platforms).size).toBe(value.platforms.length);
  for (const platform of value.platforms) expect(context.platforms).toContain(platform);
  expect(Object.keys(value.packagesByPlatform).sort()).toEqual([...value.platforms].sort());
  for (const platform of value.platforms) {
    const packages = value.packagesByPlatform[platform] ?? [];
    expect(packages.length).toBeGreaterThanOrEqual(1);
    expect(packages.length).toBeLessThanOrEqual(LIMITS.packagesPerPlatform);
    expect(new Set(packages).size).toBe(packages.length);
    for (const name of packages) {
      expect(name.length).toBeGreaterThan(0);
      expect(name.length).toBeLessThanOrEqual(LIMITS.packageNameLength);
      expect(name).toBe(name.trim());
    }
  }
  expect(typeof value.security).toBe('boolean');
  if (value.comment !== null) {
    expect(value.comment.length).toBeGreaterThan(0);
    expect(value.comment.length).toBeLessThanOrEqual(LIMITS.commentLength);
  }
}

/** validateSubmission never throws: it accepts something valid or refuses with sentences. */
function expectValidatedOrRefused(raw: RawSubmission, where: string): void {
  const result = validateSubmission(raw, CONTEXT);
  if (result.ok) expectValid(result.value, CONTEXT);
  else
    expectSentences(
      result.problems.map((p) => p.message),
      where,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '<', '>', '|', '=', ',', 'a', '/', ':', '\u00a0') }),
);

const word = fc.stringMatching(/^[A-Za-z0-9._+-]{1,12}$/);
const product = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('ARC', 'arc', 'dCache', 'DCACHE') },
  fc.constantFrom('Nope', '<@U123|arc>'),
  word,
);
const version = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?(-rc[0-9])?$/) },
  fc.constantFrom('6.21.1', '1.0.0-rc1', '1.2.3+build.7', '9'.repeat(64), '9'.repeat(65)),
  word,
);
const link = fc.oneof(
  { weight: 3, arbitrary: fc.webUrl().map((url) => `<${url}|${url.slice(0, 20)}>`) },
  fc.constantFrom(
    'https://www.nordugrid.org/arc/6.21.1',
    '<https://x.org/n|x.org/n>',
    '<https://x.org/n>',
    '<http://x.org/a b|label>',
    '<mailto:a@b.org|a@b.org>',
    'http://',
    'https:///nohost',
    'ftp://x.org/n',
    'x.org/n',
    '<|>',
    '<>',
  ),
  fc.webUrl().map((url) => `<${url}|${url.slice(0, 20)}>`),
  fc.webUrl(),
);
const packageName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
  fc.constantFrom('nordugrid-arc', 'a,b', ',', 'pkg,,other', 'ünïcødé-pkg', '😀', '<pkg a>', 'x'.repeat(201)),
);
const option = fc.oneof(
  fc.constantFrom(
    'platforms=el9/x86_64',
    'platforms=el9/x86_64,el8/x86_64',
    'platform=el8/x86_64',
    'PLATFORMS=el9/x86_64,,',
    'platforms=',
    'platforms=,',
    'platforms=ubuntu22/amd64',
    'dist=UMD-5',
    'distribution=CMD-OS-1',
    'dist=',
    'dist=NOPE',
    'security',
    'SECURITY',
    'foo=bar',
    'x=',
  ),
  word.map((w) => `${w}=${w}`),
);
const separator = fc.constantFrom(' ', '  ', '\t', '\n', ' \u00a0 ', '\u3000');

/** Near-valid one-line commands: the right words in the right (or nearly right) order, options anywhere. */
const oneLineCommand = fc
  .record({
    head: fc.tuple(product, version, link),
    dropHead: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, fc.nat(3)),
    packages: fc.oneof(
      fc.array(packageName, { maxLength: 8 }),
      // Huge lists: around the 2000-per-platform limit.
      fc
        .integer({ min: 1995, max: 2005 })
        .chain((n) => fc.constant(Array.from({ length: n }, (_, i) => `pkg-${i}`))),
      fc.integer({ min: 1, max: 3 }).map((n) => Array.from({ length: n }, () => 'same')),
    ),
    options: fc.array(fc.tuple(option, fc.nat(12)), { maxLength: 4 }),
    separators: fc.array(separator, { minLength: 1, maxLength: 4 }),
  })
  .map(({ head, dropHead, packages, options, separators }) => {
    const words: string[] = [...head.slice(0, 3 - Math.min(dropHead, 3)), ...packages];
    for (const [text, at] of options) words.splice(Math.min(at, words.length), 0, text);
    return words.map((w, i) => `${w}${separators[i % separators.length]}`).join('');
  });

// ---------------------------------------------------------------------------------------------------------

describe('the one-line /cmd-submit (parseOneLine)', () => {
  const checkOneLine = (text: string) => {
    const parsed = parseOneLine(text);
    if (!parsed.ok) {
      expectSentences(parsed.problems, `parseOneLine(${JSON.stringify(text.slice(0, 200))})`);
      return;
    }
    const { raw } = parsed;
    for (const field of ['product', 'version', 'releaseNotes'] as const) {
      expect(typeof raw[field]).toBe('string');
      expect((raw[field] as string).length, field).toBeGreaterThan(0);
    }
    expect(Array.isArray(raw.packages)).toBe(true);
    for (const name of raw.packages as string[]) expect(name).not.toBe('');
    // The parser's own contract: what it accepts names at least one package (commas alone are refused).
    expect((raw.packages as string[]).length).toBeGreaterThan(0);
    expectValidatedOrRefused(
      raw.platforms === undefined ? { ...raw, platforms: CARD_PLATFORMS } : raw,
      `validateSubmission(parseOneLine(${JSON.stringify(text.slice(0, 200))}))`,
    );
  };

  it('when the text is any string at all, then it is parsed or refused with sentences, and never throws', () => {
    fc.assert(fc.property(anyText, checkOneLine), { numRuns: 400 });
  });

  it('when the text is a near-valid command (links, options, unicode, huge package lists), then what is accepted is valid and the rest refused with sentences', () => {
    fc.assert(fc.property(oneLineCommand, checkOneLine), { numRuns: 300 });
  });

  // FIXED (src/slack/forms.ts, parseOneLine): "at least one package" is checked on the words before they are split
  // at commas, so a package list made only of commas (`ARC 1.0 https://x.org/n ,`, or `, ,`) passes the parser
  // with `packages: []` and no usage line; validateSubmission then refuses it ("List at least one package for
  // el9/x86_64."), so nothing wrong is stored, but the parser's own contract (ok ⇒ packages non-empty) is broken.
  it('when the packages are only commas, then the parser itself refuses with its usage sentence', () => {
    for (const text of [
      'ARC 1.0 https://x.org/n ,',
      'ARC 1.0 https://x.org/n , ,,',
      'ARC 1.0 <https://x.org/n|n> ,,, dist=UMD-5',
    ]) {
      const parsed = parseOneLine(text);
      expect(parsed.ok, text).toBe(false);
    }
  });

  it('when a well-formed command names a known product, then it is accepted with its options', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ARC', 'arc', 'dcache'),
        fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/),
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (name, v, packages, security) => {
          const text = `${name} ${v} <https://x.org/${v}|notes> ${packages.join(' ')} platforms=el8/x86_64${security ? ' security' : ''}`;
          const parsed = parseOneLine(text);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          const result = validateSubmission(parsed.raw, CONTEXT);
          expect(result.ok, JSON.stringify(result)).toBe(true);
          if (!result.ok) return;
          expectValid(result.value, CONTEXT);
          expect(result.value).toMatchObject({
            version: v,
            platforms: ['el8/x86_64'],
            packagesByPlatform: { 'el8/x86_64': packages },
            security,
            releaseNotes: `https://x.org/${v}`,
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------

const BLOCK_IDS = [
  'product',
  'version',
  'releaseNotes',
  'packages',
  'distribution',
  'platforms',
  'security',
  'comment',
] as const;

/** A field as Slack sends it (value strings, options as { value }), or null where Slack may send null. */
const slackText = fc.oneof(
  fc.constant(null),
  anyText,
  fc.constantFrom('ARC', '6.21.1', 'https://x.org/n', 'a\nb\n\nc, d', 'UMD-5'),
);
const slackOption = fc.record({
  value: fc.oneof(fc.constantFrom('ARC', 'dCache', 'UMD-5', 'el9/x86_64', 'security'), fc.string()),
});
const slackField = fc.record(
  {
    type: fc.constantFrom('plain_text_input', 'static_select', 'multi_static_select', 'checkboxes'),
    value: slackText,
    selected_option: fc.oneof(fc.constant(null), slackOption),
    selected_options: fc.array(slackOption, { maxLength: 4 }),
  },
  { requiredKeys: ['type'] },
);
/** Slack-shaped view state: any subset of the submit modal's blocks (and some unknown ones). */
const slackState = fc.dictionary(
  fc.oneof(fc.constantFrom(...BLOCK_IDS), fc.string({ maxLength: 8 })),
  fc.oneof(
    fc.constant({}),
    fc.record({ value: slackField }),
    fc.record({ value: slackField, other: slackField }),
    fc.dictionary(fc.string({ maxLength: 6 }), slackField, { maxKeys: 2 }),
  ),
  { maxKeys: 10 },
);
/** The submit modal filled in as a person would, right or wrong, with blocks sometimes missing or empty. */
const filledState = fc
  .record(
    {
      // The form's options carry card ids (see CARD_IDS); 99 names no card, ARC is a name from an older form.
      product: fc
        .constantFrom('1', '2', '99', 'ARC')
        .map((value) => ({ type: 'static_select', selected_option: { value } })),
      version: fc.oneof(version, fc.constant(null)).map((value) => ({ type: 'plain_text_input', value })),
      releaseNotes: link.map((value) => ({ type: 'plain_text_input', value })),
      packages: fc
        .tuple(
          fc.array(packageName, { minLength: 0, maxLength: 6 }),
          fc.constantFrom('\n', '\r\n', ', ', ' ', '\n\n  '),
        )
        .map(([names, sep]) => ({ type: 'plain_text_input', value: names.join(sep) })),
      distribution: fc
        .oneof(fc.constantFrom('UMD-5', 'CMD-OS-1', 'NOPE'), fc.constant(null))
        .map((value) => ({ type: 'static_select', selected_option: value === null ? null : { value } })),
      platforms: fc.subarray(['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64']).map((values) => ({
        type: 'multi_static_select',
        selected_options: values.map((value) => ({ value })),
      })),
      security: fc
        .boolean()
        .map((on) => ({ type: 'checkboxes', selected_options: on ? [{ value: 'security' }] : [] })),
      comment: fc
        .oneof(fc.constant(null), fc.string({ maxLength: 20 }), fc.constant('c'.repeat(3001)))
        .map((value) => ({ type: 'plain_text_input', value })),
    },
    { requiredKeys: ['product', 'version', 'releaseNotes', 'packages'] },
  )
  .map((fields) => Object.fromEntries(Object.entries(fields).map(([block, value]) => [block, { value }])));
/** The same shape with anything at all in every place: numbers for text, strings for lists, nulls. */
const oddState = fc.dictionary(
  fc.constantFrom(...BLOCK_IDS),
  fc.oneof(
    fc.constant(null),
    json,
    fc.record({
      value: fc.oneof(
        fc.constant(null),
        json,
        fc.record(
          {
            value: json,
            selected_option: json,
            selected_options: json,
          },
          { requiredKeys: [] },
        ),
      ),
    }),
  ),
);

/** The cards of CONTEXT by id, as submit() reads the form's product (a card id, or nothing on record). */
const CARD_IDS = new Map([
  ['1', 'ARC'],
  ['2', 'dCache'],
]);
const named = ({ productId, ...raw }: SubmitInput): RawSubmission =>
  productId ? { ...raw, product: CARD_IDS.get(productId) ?? '' } : raw;

describe('the submit modal (submissionFromModal)', () => {
  const checkModal = (state: unknown) => {
    const raw = named(submissionFromModal(new Form(state as ViewState)));
    expectValidatedOrRefused(
      raw.platforms === undefined ? { ...raw, platforms: CARD_PLATFORMS } : raw,
      `modal state ${JSON.stringify(state).slice(0, 300)}`,
    );
  };
  /** For types Slack never sends, only "no throw, and some message" is asked: zod's own wording is allowed. */
  const checkOddModal = (state: unknown) => {
    const raw = named(submissionFromModal(new Form(state as ViewState)));
    const result = validateSubmission(
      raw.platforms === undefined ? { ...raw, platforms: CARD_PLATFORMS } : raw,
      CONTEXT,
    );
    if (result.ok) expectValid(result.value, CONTEXT);
    else for (const problem of result.problems) expect(problem.message.trim()).not.toBe('');
  };

  it('when the view state has any of the modal’s blocks missing, null or filled in any way Slack can send, then it is accepted-and-valid or refused with sentences, and never throws', () => {
    fc.assert(fc.property(fc.oneof(slackState, filledState), checkModal), { numRuns: 400 });
  });

  // FIXED (src/slack/forms.ts, Form): the readers trust Slack's types. A plain_text_input whose `value` is not a
  // string makes `lines()` call .split on it ("TypeError: (this.text(...) ?? '').split is not a function"),
  // and `selected_options` that is not an array of objects makes `selectedMany()` throw in .map. Slack itself
  // never sends those, so only a request signed with the signing secret reaches it; then submit-view.ts calls
  // submissionFromModal outside its try/catch, Bolt logs "unhandled error in a Slack listener" and the person sees
  // Slack's generic error 3 s later instead of a message. Smallest case:
  //   { packages: { value: { value: {} } } }   (or 0, or true: any non-string value)
  it('when the view state holds odd types (numbers for text, strings for lists, nulls in lists), then it never throws', () => {
    fc.assert(fc.property(oddState, checkOddModal), { numRuns: 300 });
  });
});

// ---------------------------------------------------------------------------------------------------------

const target = fc.record(
  {
    platform: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('el9', 'el8', ' el9 ', 'alma9', 'EL9') },
      fc.constantFrom('ubuntu22', ''),
      fc.string({ maxLength: 6 }),
      json,
    ),
    arch: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('x86_64', 'x86_64 ') },
      fc.constantFrom('amd64', ''),
      fc.string({ maxLength: 6 }),
      json,
    ),
    rpms: fc.oneof(
      { weight: 4, arbitrary: fc.array(packageName, { maxLength: 6 }) },
      fc.array(json, { maxLength: 3 }),
      fc.integer({ min: 1999, max: 2001 }).map((n) => Array.from({ length: n }, (_, i) => `rpm-${i}`)),
      json,
    ),
    junk: json,
  },
  { requiredKeys: ['platform', 'arch', 'rpms'] },
);
/** Mostly the right fields with mostly the right values, each sometimes missing or of another type. */
const descriptor = fc.record(
  {
    name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('ARC', 'dcache') }, product, json),
    version: fc.oneof({ weight: 4, arbitrary: version }, fc.integer(), json),
    releaseNotes: fc.oneof({ weight: 4, arbitrary: link }, json),
    target: fc.oneof({ weight: 4, arbitrary: fc.array(target, { maxLength: 3 }) }, json),
    description: json,
  },
  { requiredKeys: [] },
);

describe('the UMD descriptor (readUmd5Descriptor)', () => {
  const descriptorContext = {
    platforms: { platforms: CONTEXT.platforms, aliases: { alma9: 'el9' } },
    distributions: CONTEXT.distributions,
    products: CONTEXT.products,
    // The file's own distribution fields are mostly absent here: the one chosen beside it applies.
    distribution: 'UMD-5',
  };
  const checkDescriptor = (text: string) => {
    const read = readUmd5Descriptor(text, descriptorContext);
    if (!read.ok) {
      expectSentences(read.problems, `readUmd5Descriptor(${text.slice(0, 300)})`);
      return;
    }
    if (read.warnings.length > 0)
      expectSentences(read.warnings, `warnings of readUmd5Descriptor(${text.slice(0, 300)})`);
    const { submission } = read;
    expect(submission.platforms).toEqual(Object.keys(submission.packages));
    for (const platform of submission.platforms) expect(platform).toMatch(/\//);
    expect(new Set(submission.platforms).size).toBe(submission.platforms.length);
    expect(submission.distribution).toBe('UMD-5');
    expectValidatedOrRefused(submission, `validateSubmission(readUmd5Descriptor(${text.slice(0, 300)}))`);
  };

  it('when the file is any JSON value or not JSON at all, then it is read or refused with sentences, never throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value)),
          anyText,
          fc.constantFrom(
            '{"__proto__": {"name": "ARC"}, "version": "1", "releaseNotes": "https://x.org", "target": []}',
            '{"name": "ARC", "version": "1", "releaseNotes": "https://x.org/n", "target": [{"platform": "__proto__", "arch": "x", "rpms": ["a"]}]}',
            '{"name": "ARC", "version": "1", "releaseNotes": "https://x.org/n", "target": [{"platform": "el9", "arch": "x86_64", "rpms": ["a"], "__proto__": null}]}',
          ),
        ),
        checkDescriptor,
      ),
      { numRuns: 300 },
    );
  });

  it('when the file is a near-valid descriptor (fields missing, of the wrong type, targets repeated or empty), then what is read is accepted-and-valid or refused with sentences', () => {
    fc.assert(
      fc.property(descriptor, (value) => checkDescriptor(JSON.stringify(value))),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------

const userId = fc.oneof(
  fc.constantFrom('U0123ABCD', 'W0AAA', ' U0CONTACT ', 'u0lower', 'UX', ''),
  fc.string({ maxLength: 5 }),
);
const card = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom(
        'ARC',
        'arc',
        'dCache',
        ' Spaced Name ',
        'Two  Spaces',
        'ﬁle',
        'file',
        'ＡＲＣ',
        '',
        'x'.repeat(81),
      ),
      word,
      fc.string({ unit: 'grapheme', maxLength: 10 }),
      json,
    ),
    team: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null), fc.constant('t'.repeat(201))),
    supportEmail: fc.oneof(fc.constantFrom('a@b.org', 'not-an-email', '', ' a@b.org '), fc.constant(null)),
    website: fc.oneof(link, fc.constant(null), fc.constant('')),
    contacts: fc.oneof(fc.array(userId, { maxLength: 3 }), json),
    contactChannel: fc.oneof(fc.constantFrom('C0456EFGH', 'G0PRIVATE', 'D0DM', 'general'), fc.constant(null)),
    platforms: fc.oneof(
      fc.array(fc.constantFrom('el9/x86_64', 'el8/x86_64', ' el9/x86_64 ', 'ubuntu22/amd64', 'win/arm', ''), {
        maxLength: 3,
      }),
      json,
    ),
    earlyAdopterSites: fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('s'.repeat(101))), {
      maxLength: 2,
    }),
    documentationLinks: fc.array(link, { maxLength: 2 }),
    unknownField: json,
  },
  { requiredKeys: [] },
);

describe('importing Product ID cards (importProducts, on a real database)', () => {
  let store: TestStore;
  beforeAll(() => {
    store = openTestStore({ env: { PLATFORMS: 'el9/x86_64,el8/x86_64' } });
  });
  afterAll(() => {
    store.cleanup();
  });

  const snapshot = () => ({
    products: listProducts(store.ctx.db),
    history: store.handle.sqlite.prepare('select count(*) as n from history').get(),
    refusals: store.handle.sqlite.prepare('select count(*) as n from refusals').get(),
    outbox: listOutbox(store.ctx.db).length,
  });

  const checkImport = (list: unknown) => {
    const before = snapshot();
    let result: ReturnType<typeof importProducts>;
    try {
      result = importProducts(store.ctx, list, STAFF);
    } catch (error) {
      expect(error, String(error)).toBeInstanceOf(InvalidInputError);
      expectSentences(
        (error as InvalidInputError).problems.map((p) => p.message),
        `importProducts(${JSON.stringify(list)?.slice(0, 300)})`,
      );
      expect(snapshot(), 'a refused import changed the database').toEqual(before);
      return;
    }
    expect(Array.isArray(list)).toBe(true);
    const entries = list as Record<string, unknown>[];
    expect(result.created.length + result.updated.length).toBe(entries.length);
    expect(listProducts(store.ctx.db).length).toBe(before.products.length + result.created.length);
    for (const entry of entries) {
      const expected = productCardSchema.parse(entry);
      const stored = findProductByName(store.ctx.db, expected.name);
      expect(stored, `card ${expected.name} is not readable back`).not.toBeNull();
      if (!stored) continue;
      expect(productNameKey(stored.name)).toBe(productNameKey(expected.name));
      for (const [key, value] of Object.entries(expected)) {
        if (key === 'name' || value === undefined) continue;
        expect(stored[key as keyof typeof stored], `${expected.name}.${key}`).toEqual(value);
      }
    }
  };

  it('when the list holds cards valid or not (bad ids, emails, links, unknown platforms, names repeated in any case or script), then it is imported and readable back, or refused whole with sentences', () => {
    fc.assert(fc.property(fc.array(card, { maxLength: 4 }), checkImport), { numRuns: 250 });
  });

  it('when the file holds anything at all instead of a list of cards, then it is refused with sentences and nothing is imported', () => {
    fc.assert(fc.property(fc.oneof(json, fc.array(json, { maxLength: 3 })), checkImport), { numRuns: 200 });
  });
});
