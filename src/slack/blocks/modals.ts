/**
 * The modals: submitting a release, each staff move, an early-adopter report, and a Product ID card. Block ids
 * are the field names, so validation errors go back to the right field.
 */
import { formatSubjectId } from '../../domain/ids.js';
import type { ProductCard } from '../../domain/product.js';
import { LIMITS as INPUT_LIMITS } from '../../domain/submission-input.js';
import { DELAY_CATEGORIES, DELAY_CATEGORY_LABELS } from '../../domain/ticket-machine.js';
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

const text = (
  opts: { multiline?: boolean; initial?: string | null; placeholder?: string; max?: number } = {},
): InputElement => ({
  type: 'plain_text_input',
  action_id: 'value',
  multiline: opts.multiline ?? false,
  max_length: opts.max ?? INPUT_LIMITS.commentLength,
  ...(opts.initial ? { initial_value: truncate(opts.initial, opts.max ?? 3000) } : {}),
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
  const blocks: KnownBlock[] = [
    input('product', 'Product', {
      type: 'static_select',
      action_id: 'value',
      options: productOptions,
      ...(only ? { initial_option: productOption(only) } : {}),
    }),
    input('version', 'Version', text({ placeholder: '6.21.1', max: INPUT_LIMITS.versionLength })),
    input('releaseNotes', 'Release notes link', text({ placeholder: 'https://…', max: 2000 })),
    input('packages', 'Packages, one per line', text({ multiline: true, max: 3000 }), {
      hint: 'For very long lists, submit a UMD descriptor with the cmd-bot CLI.',
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
        options: platforms.slice(0, 100).map((p) => option(p, p)),
        ...(initialPlatforms.length > 0 ? { initial_options: initialPlatforms } : {}),
      },
      { optional: true, hint: 'Leave empty for the platforms on the Product ID card.' },
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
}

export function moveModal({ target, event, title, platforms }: MoveModalOptions): ModalView {
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
        input('reportUrl', 'Verification report link', text({ placeholder: 'https://…', max: 2000 }), {
          optional: true,
        }),
      );
      break;
    case 'pass_verification':
      blocks.push(
        input('reportUrl', 'Verification report link', text({ placeholder: 'https://…', max: 2000 })),
      );
      break;
    case 'mark_ready':
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

export function earlyAdopterModal(options: {
  readonly submissionId: number;
  readonly outcome: 'works' | 'problem';
  readonly title: MdValue;
  readonly platforms: readonly string[];
  readonly site: string | null;
}): ModalView {
  const blocks: KnownBlock[] = [
    section(md`*${options.title}*`),
    input('site', 'Your site', text({ initial: options.site, placeholder: 'SITE-A', max: 100 })),
    input('platform', 'Platform', {
      type: 'static_select',
      action_id: 'value',
      options: options.platforms.slice(0, 100).map((p) => option(p, p)),
      ...(options.platforms.length === 1 && options.platforms[0]
        ? { initial_option: option(options.platforms[0], options.platforms[0]) }
        : {}),
    }),
  ];
  if (options.outcome === 'problem') {
    blocks.push(input('details', 'What went wrong, and any workaround', text({ multiline: true })));
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

export function productModal(
  card: ProductCard | null,
  name: string,
  platforms: readonly string[],
): ModalView {
  const initialPlatforms = (card?.platforms ?? [])
    .filter((p) => platforms.includes(p))
    .map((p) => option(p, p));
  const blocks: KnownBlock[] = [
    input('name', 'Product name', text({ initial: card?.name ?? name, max: 80 })),
    input('team', 'Product team', text({ initial: card?.team, max: 200 }), { optional: true }),
    input('supportEmail', 'Support email', text({ initial: card?.supportEmail, max: 200 }), {
      optional: true,
    }),
    input('website', 'Website', text({ initial: card?.website, max: 2000 }), { optional: true }),
    input('teamLeader', 'Development team leader', text({ initial: card?.teamLeader, max: 200 }), {
      optional: true,
    }),
    input('description', 'Description and purpose', text({ initial: card?.description, multiline: true }), {
      optional: true,
    }),
    input('repositoryUrl', 'Repository URL', text({ initial: card?.repositoryUrl, max: 2000 }), {
      optional: true,
    }),
    input(
      'documentationLinks',
      'Documentation links, one per line',
      text({ initial: card?.documentationLinks.join('\n'), multiline: true }),
      {
        optional: true,
      },
    ),
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
    input(
      'earlyAdopterSites',
      'Candidate early-adopter sites, one per line',
      text({ initial: card?.earlyAdopterSites.join('\n'), multiline: true }),
      {
        optional: true,
      },
    ),
    input(
      'platforms',
      'Default platforms',
      {
        type: 'multi_static_select',
        action_id: 'value',
        options: platforms.slice(0, 100).map((p) => option(p, p)),
        ...(initialPlatforms.length > 0 ? { initial_options: initialPlatforms } : {}),
      },
      { optional: true },
    ),
  ];
  return modal(card ? 'Edit Product ID card' : 'New Product ID card', CALLBACK_IDS.product, blocks, {
    original: card?.name ?? null,
  });
}
