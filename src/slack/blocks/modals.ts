/**
 * The modals: submitting a release, each staff move, an early-adopter report, and a Product ID card. Block ids
 * are the field names, so validation errors go back to the right field.
 */
import { formatSubjectId } from '../../domain/ids.js';
import type { ProductCard } from '../../domain/product.js';
import {
  criterionTitle,
  QC_FAILED_FIELD,
  QC_NOTE_MAX,
  QC_RESULT_LABELS,
  QC_RESULTS,
  type QcCriterion,
  qcNoteField,
  qcResultField,
} from '../../domain/quality-criteria.js';
import { LIMITS as INPUT_LIMITS } from '../../domain/submission-input.js';
import { DELAY_CATEGORIES, DELAY_CATEGORY_LABELS } from '../../domain/ticket-machine.js';
import { linesOf } from '../forms.js';
import { CALLBACK_IDS, MOVE_LABELS, type MoveEvent, type MoveTarget } from '../moves.js';
import {
  context,
  type KnownBlock,
  LIMITS,
  type MdValue,
  type ModalView,
  md,
  option,
  plain,
  section,
  truncate,
} from './kit.js';

type InputBlock = Extract<KnownBlock, { type: 'input' }>;
type InputElement = InputBlock['element'];

function input(
  blockId: string,
  label: string,
  element: InputElement,
  options: { optional?: boolean; hint?: string } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element,
    optional: options.optional ?? false,
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
  };
}

interface TextOptions {
  readonly multiline?: boolean;
  readonly initial?: string | null;
  readonly placeholder?: string;
  readonly max?: number;
}

/**
 * Whether a text input can hold `value` whole: within its length, and on one line unless it is multiline. Cut,
 * a value would be sent back cut.
 */
function holds(opts: TextOptions, value: string): boolean {
  return (
    value.length <= (opts.max ?? INPUT_LIMITS.commentLength) && (opts.multiline || !/[\r\n]/.test(value))
  );
}

/** A text input, starting with `initial` only when it holds all of it (else empty: never a cut value). */
const text = (opts: TextOptions = {}): InputElement => ({
  type: 'plain_text_input',
  action_id: 'value',
  multiline: opts.multiline ?? false,
  max_length: opts.max ?? INPUT_LIMITS.commentLength,
  ...(opts.initial && holds(opts, opts.initial) ? { initial_value: opts.initial } : {}),
  ...(opts.placeholder ? { placeholder: plain(opts.placeholder, 150) } : {}),
});

/**
 * Several of `values`, every one chosen to start with. Checkboxes show at most 10, so a longer list is a
 * multi-select (it holds 100; callers refuse more) rather than a list with some left out.
 */
function allChosen(values: readonly string[]): InputElement {
  const options = values.map((value) => option(value, value));
  return {
    type: values.length <= LIMITS.checkboxes ? 'checkboxes' : 'multi_static_select',
    action_id: 'value',
    options,
    initial_options: options,
  };
}

function modal(
  title: string,
  callbackId: string,
  blocks: KnownBlock[],
  metadata: object,
  submit = 'Submit',
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(submit, LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: truncate(JSON.stringify(metadata), LIMITS.privateMetadata),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}

/** A view that only says something: after a refusal, or to confirm. */
export function messageView(title: string, message: MdValue): ModalView {
  return {
    type: 'modal',
    title: plain(title, LIMITS.modalTitle),
    close: plain('Close', LIMITS.modalTitle),
    blocks: [section(message)],
  };
}

export interface SubmitModalOptions {
  readonly products: readonly ProductCard[];
  readonly platforms: readonly string[];
  readonly distributions: readonly string[];
}

export function submitModal({ products, platforms, distributions }: SubmitModalOptions): ModalView {
  const only = products.length === 1 ? products[0] : undefined;
  // An option's value holds 75 characters and a name may have 80: the value is the card's id, the name is shown.
  const productOption = (card: ProductCard) => option(card.name, String(card.id));
  const productOptions = products.slice(0, LIMITS.selectOptions).map(productOption);
  const initialPlatforms = (only?.platforms ?? [])
    .filter((p) => platforms.includes(p))
    .map((p) => option(p, p));
  // Optional for Slack, so that a descriptor alone can be sent: the service says what is missing otherwise.
  const typed = { optional: true } as const;
  const blocks: KnownBlock[] = [
    input(
      'descriptor',
      'Upload a UMD5 descriptor',
      { type: 'file_input', action_id: 'value', filetypes: ['json'], max_files: 1 },
      {
        optional: true,
        hint: 'The JSON file of a software-releases pull request. It gives the product, version, release notes, distribution, platforms and packages (a product chosen below must be the same; the distribution and platforms below are not used): leave the typed fields empty.',
      },
    ),
    input(
      'product',
      'Product',
      {
        type: 'static_select',
        action_id: 'value',
        options: productOptions,
        ...(only ? { initial_option: productOption(only) } : {}),
      },
      typed,
    ),
    input('version', 'Version', text({ placeholder: '6.21.1', max: INPUT_LIMITS.versionLength }), typed),
    input('releaseNotes', 'Release notes link', text({ placeholder: 'https://…', max: 2000 }), typed),
    input('packages', 'Packages, one per line', text({ multiline: true, max: 3000 }), {
      ...typed,
      hint: 'Or upload a UMD5 descriptor above (for long lists too).',
    }),
    input('distribution', 'Distribution', {
      type: 'static_select',
      action_id: 'value',
      options: distributions.map((d) => option(d, d)),
      ...(distributions[0] ? { initial_option: option(distributions[0], distributions[0]) } : {}),
    }),
    input(
      'platforms',
      'Platforms',
      {
        type: 'multi_static_select',
        action_id: 'value',
        // Every configured platform: the configuration keeps them within a select's 100 (src/config/core.ts).
        options: platforms.map((p) => option(p, p)),
        ...(initialPlatforms.length > 0 ? { initial_options: initialPlatforms } : {}),
      },
      {
        optional: true,
        hint:
          initialPlatforms.length > 0
            ? 'Filled in from the Product ID card; change them for this release if need be.'
            : 'Leave empty for the platforms on the Product ID card.',
      },
    ),
    input(
      'security',
      'Security',
      {
        type: 'checkboxes',
        action_id: 'value',
        options: [option('Security (emergency) release', 'security')],
      },
      { optional: true },
    ),
    input('comment', 'Comment', text({ multiline: true }), { optional: true }),
  ];
  return modal('Submit a release', CALLBACK_IDS.submit, blocks, {}, 'Submit');
}

export interface MoveModalOptions {
  readonly target: MoveTarget;
  readonly event: MoveEvent;
  readonly title: MdValue;
  /** For Inject: the submission's platforms, all ticked. */
  readonly platforms?: readonly string[];
  /** For Ready for release: the ticket's platform, when no early-adopter site has reported that it works there. */
  readonly noWorksReportOn?: string;
  /** For Verification passed and failed: the quality criteria (QC_CRITERIA_FILE). */
  readonly qcCriteria?: readonly QcCriterion[];
}

/**
 * Two inputs per quality criterion: its result and a note. A critical one must be answered (Slack asks before
 * sending, the use case checks again), and says so in its label, with its condition when it has one.
 */
function qcInputs(criteria: readonly QcCriterion[]): KnownBlock[] {
  const results = QC_RESULTS.map((result) => option(QC_RESULT_LABELS[result], result));
  return criteria.flatMap((criterion) => {
    const critical = criterion.critical
      ? ` (critical${criterion.criticalWhen ? ` ${criterion.criticalWhen}` : ''})`
      : '';
    return [
      input(
        qcResultField(criterion.id),
        `${criterionTitle(criterion)}${critical}`,
        { type: 'static_select', action_id: 'value', placeholder: plain('Result', 150), options: results },
        {
          optional: !criterion.critical,
          ...(criterion.criticalWhen
            ? { hint: 'If the condition does not hold, choose Not applicable and say why in the note.' }
            : {}),
        },
      ),
      input(
        qcNoteField(criterion.id),
        `Note on ${criterion.id}`,
        text({ max: QC_NOTE_MAX, placeholder: 'Needed for Warning and Not applicable' }),
        { optional: true },
      ),
    ];
  });
}

export function moveModal({
  target,
  event,
  title,
  platforms,
  noWorksReportOn,
  qcCriteria = [],
}: MoveModalOptions): ModalView {
  const blocks: KnownBlock[] = [section(md`*${title}*`)];
  switch (event) {
    case 'inject': {
      const all = platforms ?? [];
      // Offering some would create tickets for those and mark the submission Solved: the rest silently dropped.
      if (all.length > LIMITS.selectOptions) {
        return messageView(
          MOVE_LABELS[event],
          md`*${title}* is for ${all.length} platforms, more than a Slack form can list (${LIMITS.selectOptions}), so it cannot be injected here. Nothing was done.`,
        );
      }
      blocks.push(
        input('platforms', 'Platforms to create tickets for', allChosen(all)),
        input('assignee', 'Assignee', { type: 'users_select', action_id: 'value' }, { optional: true }),
      );
      break;
    }
    case 'reject':
      blocks.push(input('reason', 'Reason', text({ multiline: true })));
      break;
    case 'fail_verification':
      blocks.push(
        input('reason', 'What failed', text({ multiline: true })),
        ...(qcCriteria.length > 0
          ? [
              input(
                QC_FAILED_FIELD,
                'Criteria that failed',
                {
                  type: 'multi_static_select',
                  action_id: 'value',
                  placeholder: plain('Quality criteria', 150),
                  // The configuration keeps the criteria within a select's 100 (quality-criteria.ts).
                  options: qcCriteria.map((criterion) => option(criterionTitle(criterion), criterion.id)),
                },
                { optional: true, hint: 'The product team is told which ones.' },
              ),
            ]
          : []),
        input('reportUrl', 'Verification report link', text({ placeholder: 'https://…', max: 2000 }), {
          optional: true,
        }),
      );
      break;
    case 'pass_verification':
      blocks.push(
        input('reportUrl', 'Verification report link', text({ placeholder: 'https://…', max: 2000 })),
        ...(qcCriteria.length > 0
          ? [
              context(
                'Give each quality criterion its result. A critical one needs OK, Warning or Not applicable; a Warning becomes a known issue of the release. Warning and Not applicable need a note.',
              ),
            ]
          : []),
        ...qcInputs(qcCriteria),
      );
      break;
    case 'mark_ready':
      if (noWorksReportOn !== undefined) {
        blocks.push(
          section(
            md`:warning: *No early-adopter site has reported "Installed, works" on ${noWorksReportOn}.* If you go ahead, the ticket and its history record that it was marked Ready without one.`,
          ),
        );
      }
      blocks.push(
        input('reportUrl', 'Staged-rollout report link', text({ placeholder: 'https://…', max: 2000 }), {
          optional: true,
        }),
      );
      break;
    case 'wait_for_provider':
      blocks.push(input('needed', 'What is needed from the provider', text({ multiline: true })));
      break;
    case 'supersede':
      blocks.push(
        input('supersededBy', 'Replaced by', text({ placeholder: 'SUB-12', max: 20 }), { optional: true }),
        input('reason', 'Note', text({ multiline: true }), { optional: true }),
      );
      break;
    case 'explain_delay':
      blocks.push(
        input('category', 'Reason', {
          type: 'static_select',
          action_id: 'value',
          options: DELAY_CATEGORIES.map((c) => option(DELAY_CATEGORY_LABELS[c], c)),
        }),
        input('text', 'Explanation for the product team', text({ multiline: true })),
      );
      break;
    case 'start_verification':
    case 'resume':
      blocks.push(context('Confirm to go ahead.'));
      break;
    default: {
      const unknown: never = event;
      throw new Error(`no modal for ${String(unknown)}`);
    }
  }
  return modal(
    MOVE_LABELS[event],
    CALLBACK_IDS.move,
    blocks,
    { s: formatSubjectId(target.subject), v: target.version, e: event },
    MOVE_LABELS[event],
  );
}

/** The site choice that means "not in the list": its name is typed in `otherSite`. */
export const ANOTHER_SITE = 'other';
const SITE_PREFIX = 's:';

/** The site a report's form names: a site of the card (by its option), else the one typed under Another site. */
export function siteFromChoice(choice: string | undefined): string | typeof ANOTHER_SITE | undefined {
  if (choice === undefined || choice === ANOTHER_SITE) return choice;
  return choice.startsWith(SITE_PREFIX) ? choice.slice(SITE_PREFIX.length) : undefined;
}

/**
 * An early adopter's report: which site (a pick from the card's early-adopter sites, or another typed in; the
 * person's last site chosen or filled in), which platform, a new install or an upgrade from which version, what
 * was tested, and for a problem what happened and any workaround. With no sites on the card, the site is typed.
 */
export function earlyAdopterModal(options: {
  readonly submissionId: number;
  readonly outcome: 'works' | 'problem';
  readonly title: MdValue;
  readonly platforms: readonly string[];
  /** The product card's candidate early-adopter sites. */
  readonly sites: readonly string[];
  /** The site this person reported from last time. */
  readonly site: string | null;
}): ModalView {
  const siteInput = (blockId: string, label: string, initial: string | null, optional: boolean) =>
    input(blockId, label, text({ initial, placeholder: 'SITE-A', max: 100 }), {
      optional,
      ...(optional ? { hint: 'Only when you chose Another site above.' } : {}),
    });
  // A site's name is its option's value, so a name longer than a value holds is typed under Another site;
  // one option is kept for Another site.
  const offered = options.sites
    .filter((site) => SITE_PREFIX.length + site.length <= LIMITS.optionValue)
    .slice(0, LIMITS.selectOptions - 1);
  const remembered = options.site?.trim() || null;
  const onCard = remembered
    ? offered.find((site) => site.toLowerCase() === remembered.toLowerCase())
    : undefined;
  const another = option('Another site', ANOTHER_SITE);
  const siteBlocks: KnownBlock[] =
    offered.length === 0
      ? [siteInput('site', 'Your site', remembered, false)]
      : [
          input('site', 'Your site', {
            type: 'static_select',
            action_id: 'value',
            options: [...offered.map((site) => option(site, SITE_PREFIX + site)), another],
            ...(onCard
              ? { initial_option: option(onCard, SITE_PREFIX + onCard) }
              : remembered
                ? { initial_option: another }
                : {}),
          }),
          siteInput('otherSite', 'Another site', onCard ? null : remembered, true),
        ];
  const installKinds = [option('New install', 'new'), option('Upgrade', 'upgrade')];
  const blocks: KnownBlock[] = [
    section(md`*${options.title}*`),
    ...siteBlocks,
    input('platform', 'Platform', {
      type: 'static_select',
      action_id: 'value',
      options: options.platforms.map((p) => option(p, p)),
      ...(options.platforms.length === 1 && options.platforms[0]
        ? { initial_option: option(options.platforms[0], options.platforms[0]) }
        : {}),
    }),
    input('installKind', 'New install or upgrade', {
      type: 'radio_buttons',
      action_id: 'value',
      options: installKinds,
    }),
    input(
      'upgradedFrom',
      'Version upgraded from',
      text({ placeholder: '6.20.0', max: INPUT_LIMITS.versionLength }),
      { optional: true, hint: 'Needed for an upgrade.' },
    ),
    input('tested', 'What you tested', text({ multiline: true })),
  ];
  if (options.outcome === 'problem') {
    blocks.push(
      input('details', 'What happened', text({ multiline: true })),
      input('workaround', 'Workaround, if any', text({ multiline: true }), { optional: true }),
    );
  } else {
    blocks.push(input('details', 'Notes', text({ multiline: true }), { optional: true }));
  }
  return modal(
    options.outcome === 'works' ? 'Installed, works' : 'Problem found',
    CALLBACK_IDS.earlyAdopterReport,
    blocks,
    { sub: options.submissionId, outcome: options.outcome },
    'Send report',
  );
}

/** The fields of a card the Edit form may leave out, keeping them as they are (see productModal). */
export const KEPT_CARD_FIELDS = [
  'team',
  'supportEmail',
  'website',
  'teamLeader',
  'description',
  'repositoryUrl',
  'documentationLinks',
  'earlyAdopterSites',
] as const;
export type KeptCardField = (typeof KEPT_CARD_FIELDS)[number];

/**
 * A stored field of a card in an input that holds its whole value (a list one entry per line); or, when no
 * input can (too long, or a line break where one line is wanted), a note saying so, and `kept`: the form leaves
 * the field out, so that saving keeps it as it is rather than store it cut.
 */
function storedField(
  field: KeptCardField,
  label: string,
  opts: TextOptions,
  value: string | readonly string[] | null | undefined,
): { readonly block: KnownBlock; readonly kept: boolean } {
  const list = typeof value === 'object' && value !== null ? value : null;
  const initial = list ? list.join('\n') : typeof value === 'string' ? value : null;
  if (initial === null || (holds(opts, initial) && (!list || sameList(linesOf(initial), list)))) {
    const shown = list ? `${label}, one per line` : label;
    return { block: input(field, shown, text({ ...opts, initial }), { optional: true }), kept: false };
  }
  const max = opts.max ?? INPUT_LIMITS.commentLength;
  const size = md`${count(initial.length)} characters, more than this form holds (${count(max)})`;
  const note = list
    ? initial.length > max
      ? md`${list.length} entries, ${size}. Kept as they are; change them with \`cmd-bot products import\`.`
      : md`An entry has a line break, so they cannot be edited one per line. Kept as they are; change them with \`cmd-bot products import\`.`
    : initial.length > max
      ? md`${size}. Kept as it is; change it with \`cmd-bot products import\`.`
      : md`It has a line break, which this one-line field cannot hold. Kept as it is; change it with \`cmd-bot products import\`.`;
  return { block: context(md`*${label}:* ${note}`), kept: true };
}

const count = (n: number) => n.toLocaleString('en-US');
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The New or Edit form of a Product ID card. Saved unchanged, it stores the card as it was: a field no input can
 * hold whole is shown as a note (see storedField) and listed under `keep` in the form's metadata, so the save
 * leaves it out and it keeps its value.
 */
export function productModal(
  card: ProductCard | null,
  name: string,
  platforms: readonly string[],
): ModalView {
  const keep: KeptCardField[] = [];
  const stored = (...args: Parameters<typeof storedField>): KnownBlock => {
    const { block, kept } = storedField(...args);
    if (kept) keep.push(args[0]);
    return block;
  };
  const unconfigured = (card?.platforms ?? []).filter((p) => !platforms.includes(p));
  const initialPlatforms = (card?.platforms ?? [])
    .filter((p) => platforms.includes(p))
    .map((p) => option(p, p));
  const blocks: KnownBlock[] = [
    input('name', 'Product name', text({ initial: card?.name ?? name, max: 80 })),
    stored('team', 'Product team', { max: 200 }, card?.team),
    stored('supportEmail', 'Support email', { max: 200 }, card?.supportEmail),
    stored('website', 'Website', { max: 2000 }, card?.website),
    stored('teamLeader', 'Development team leader', { max: 200 }, card?.teamLeader),
    stored('description', 'Description and purpose', { multiline: true }, card?.description),
    stored('repositoryUrl', 'Repository URL', { max: 2000 }, card?.repositoryUrl),
    stored('documentationLinks', 'Documentation links', { multiline: true }, card?.documentationLinks ?? []),
    input(
      'contacts',
      'Contacts (may submit, hear about delays)',
      {
        type: 'multi_users_select',
        action_id: 'value',
        ...(card?.contacts.length ? { initial_users: [...card.contacts] } : {}),
      },
      { optional: true },
    ),
    input(
      'contactChannel',
      'Contact channel',
      {
        type: 'conversations_select',
        action_id: 'value',
        ...(card?.contactChannel ? { initial_conversation: card.contactChannel } : {}),
      },
      { optional: true },
    ),
    stored(
      'earlyAdopterSites',
      'Candidate early-adopter sites',
      { multiline: true },
      card?.earlyAdopterSites ?? [],
    ),
    input(
      'platforms',
      'Default platforms',
      {
        type: 'multi_static_select',
        action_id: 'value',
        // Every configured platform: the configuration keeps them within a select's 100 (src/config/core.ts).
        options: platforms.map((p) => option(p, p)),
        ...(initialPlatforms.length > 0 ? { initial_options: initialPlatforms } : {}),
      },
      { optional: true },
    ),
  ];
  if (unconfigured.length > 0) {
    // A card may not name a platform that is not configured, so saving leaves these off: said, not silent.
    blocks.push(
      context(
        md`${unconfigured.join(', ')} ${unconfigured.length === 1 ? 'is' : 'are'} not configured any more, so saving leaves ${unconfigured.length === 1 ? 'it' : 'them'} off the default platforms.`,
      ),
    );
  }
  return modal(
    card ? 'Edit Product ID card' : 'New Product ID card',
    CALLBACK_IDS.product,
    blocks,
    { original: card?.name ?? null, ...(keep.length > 0 ? { keep } : {}) },
    'Save',
  );
}

/** The release notes' form: staff's description, installation notes and known issues, before publishing. */
export function releaseNotesModal(
  name: string,
  label: string,
  notes: { readonly description: string; readonly installationNotes: string; readonly knownIssues: string },
): ModalView {
  const hint =
    'Drafted from the data; what you write here replaces the draft. Leave it empty to go back to the draft.';
  return modal(
    'Release notes',
    CALLBACK_IDS.releaseNotes,
    [
      section(md`*${label}*`),
      input('description', 'Description', text({ multiline: true, initial: notes.description }), {
        optional: true,
        hint,
      }),
      input(
        'installationNotes',
        'Installation notes',
        text({ multiline: true, initial: notes.installationNotes }),
        {
          optional: true,
        },
      ),
      input(
        'knownIssues',
        'Known issues, one per line',
        text({ multiline: true, initial: notes.knownIssues }),
        {
          optional: true,
        },
      ),
    ],
    { release: name },
    'Save',
  );
}
