/**
 * Reading what people typed: modal state (by block id, with action id `value`) and the one-line form of
 * `/cmd-submit`. Nothing here decides whether the input is valid; the use cases do.
 */
import { unwrapSlackLink } from '../domain/links.js';
import type { RawSubmission } from '../domain/submission-input.js';
import { decodeEntities } from '../mrkdwn.js';
import type { SubmitInput } from '../services/index.js';

type StateValue = {
  readonly value?: string | null;
  readonly selected_option?: { readonly value: string } | null;
  readonly selected_options?: readonly { readonly value: string }[];
  readonly selected_user?: string | null;
  readonly selected_users?: readonly string[];
  readonly selected_conversation?: string | null;
  readonly files?: readonly { readonly id?: unknown }[];
};
export type ViewState = Readonly<Record<string, Readonly<Record<string, StateValue>>>>;

export class Form {
  constructor(private readonly state: ViewState) {}

  private field(blockId: string): StateValue | undefined {
    const value = this.state?.[blockId]?.value;
    return typeof value === 'object' && value !== null ? value : undefined;
  }

  // Each reader takes only the shape Slack sends, so a forged or odd state reads as "not given" instead of throwing.
  text(blockId: string): string | undefined {
    const value = this.field(blockId)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  lines(blockId: string): string[] {
    return linesOf(this.text(blockId) ?? '');
  }

  selected(blockId: string): string | undefined {
    const value = this.field(blockId)?.selected_option?.value;
    return typeof value === 'string' ? value : undefined;
  }

  selectedMany(blockId: string): string[] {
    const options = this.field(blockId)?.selected_options;
    return Array.isArray(options)
      ? options.map((choice) => choice?.value).filter((value): value is string => typeof value === 'string')
      : [];
  }

  user(blockId: string): string | undefined {
    const value = this.field(blockId)?.selected_user;
    return typeof value === 'string' ? value : undefined;
  }

  users(blockId: string): string[] {
    const users = this.field(blockId)?.selected_users;
    return Array.isArray(users) ? users.filter((user): user is string => typeof user === 'string') : [];
  }

  /** The ids of the files uploaded in a file input. */
  fileIds(blockId: string): string[] {
    const files = this.field(blockId)?.files;
    return Array.isArray(files)
      ? files
          .map((file) => file?.id)
          .filter((id): id is string => typeof id === 'string' && /^F[A-Z0-9]+$/.test(id))
      : [];
  }

  conversation(blockId: string): string | undefined {
    const value = this.field(blockId)?.selected_conversation;
    return typeof value === 'string' ? value : undefined;
  }
}

/** A list typed one per line: each line trimmed, empty ones left out. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The submit form: its product options carry card ids (see submitModal), read back by `submit`. */
export function submissionFromModal(form: Form): SubmitInput {
  const platforms = form.selectedMany('platforms');
  const productId = form.selected('product');
  return {
    ...(productId === undefined ? {} : { productId }),
    version: form.text('version') ?? '',
    releaseNotes: form.text('releaseNotes') ?? '',
    packages: form
      .lines('packages')
      .flatMap((line) => line.split(/[\s,]+/))
      .filter((name) => name !== ''),
    distribution: form.selected('distribution') ?? '',
    ...(platforms.length > 0 ? { platforms } : {}),
    security: form.selectedMany('security').includes('security'),
    comment: form.text('comment') ?? '',
  };
}

/**
 * A command's argument as the person typed it (`/cmd-product A&B`): Slack sends `&`, `<` and `>` as entities.
 * The one-line submit form decodes word by word instead, because Slack's own links arrive as real `<…>`.
 */
export function commandArgument(text: string): string {
  return decodeEntities(text.trim());
}

export const ONE_LINE_USAGE =
  '/cmd-submit PRODUCT VERSION URL PKG [PKG…] [platforms=p1,p2] [dist=D] [security]';

export type OneLine =
  | { readonly ok: true; readonly raw: RawSubmission }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * `/cmd-submit ARC 6.21.1 <https://…> pkg-a pkg-b platforms=al9/x86_64 dist=UMD-5 security`. Slack's wrapped
 * links stay one word (and are unwrapped); options may come anywhere after the link. Slack sends the `&`, `<` and `>` people type as
 * `&amp;`, `&lt;` and `&gt;` (a real `<` only opens its own links and mentions): each word is decoded once here,
 * so `2.0&beta` is stored as typed and is the same release as the one from the form.
 */
export function parseOneLine(text: string): OneLine {
  const words = (text.match(/<[^>]*>|\S+/g) ?? []).map((word) =>
    /^<https?:/i.test(word)
      ? decodeEntities(unwrapSlackLink(word))
      : word.startsWith('<')
        ? word
        : decodeEntities(word),
  );
  const positional: string[] = [];
  const problems: string[] = [];
  let platforms: string[] | undefined;
  let distribution: string | undefined;
  let security = false;
  for (const word of words) {
    const option = /^(platforms?|dist|distribution)=(.*)$/i.exec(word);
    if (option?.[1] && option[2] !== undefined) {
      const key = option[1].toLowerCase();
      if (key.startsWith('platform')) {
        platforms = option[2]
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '');
        if (platforms.length === 0)
          problems.push('`platforms=` needs at least one platform, such as platforms=al9/x86_64.');
      } else {
        distribution = option[2].trim();
      }
    } else if (/^security$/i.test(word)) {
      security = true;
    } else if (/^[a-z]+=/i.test(word) && positional.length >= 3) {
      problems.push(
        `Unknown option \`${word.split('=')[0]}=\`; the options are platforms=, dist= and security.`,
      );
    } else {
      positional.push(word);
    }
  }
  const [product, version, link, ...packageWords] = positional;
  const packages = packageWords.flatMap((word) => word.split(',')).filter((name) => name !== '');
  const missing = [
    product === undefined ? 'the product' : null,
    version === undefined ? 'the version' : null,
    link === undefined ? 'the release-notes link' : null,
    packages.length === 0 ? 'at least one package' : null,
  ].filter((item) => item !== null);
  if (missing.length > 0) problems.unshift(`Give ${missing.join(', ')}. Usage: \`${ONE_LINE_USAGE}\``);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    raw: {
      product,
      version,
      releaseNotes: link ?? '',
      packages,
      ...(platforms ? { platforms } : {}),
      ...(distribution ? { distribution } : {}),
      security,
    },
  };
}
