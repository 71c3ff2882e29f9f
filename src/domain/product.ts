/**
 * A Product ID card: who makes a product and whom to tell about its releases. The import format is a list of
 * these (JSON or YAML); only `name` is required.
 */
import { z } from 'zod';
import { SLACK_CHANNEL_ID, SLACK_USER_ID } from './ids.js';
import { parseHttpLink } from './links.js';

const optionalText = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .transform((value) => value.trim() || null)
    .nullable()
    .optional();

const link = z.string().transform((value, ctx) => {
  const parsed = parseHttpLink(value);
  if (parsed) return parsed;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not an http(s) link` });
  return z.NEVER;
});
const optionalLink = z
  .string()
  .transform((value) => value.trim() || null)
  .pipe(link.nullable())
  .nullable()
  .optional();

const idList = (pattern: RegExp, what: string) =>
  z
    .array(
      z
        .string()
        .trim()
        .regex(pattern, {
          message: `must be a Slack ${what} id, such as ${what === 'user' ? 'U0123ABCD' : 'C0456EFGH'}`,
        }),
    )
    .transform((ids) => [...new Set(ids)]);

export const productCardSchema = z
  .object({
    name: z
      .string({ message: 'every product needs a name' })
      .trim()
      .min(1, { message: 'every product needs a name' })
      .max(80, { message: 'must be at most 80 characters' })
      .regex(/^\S+(?: \S+)*$/, { message: 'must not start or end with spaces' }),
    team: optionalText(200),
    supportEmail: z
      .string()
      .trim()
      .transform((value) => value || null)
      .pipe(z.email({ message: 'must be an email address' }).nullable())
      .nullable()
      .optional(),
    website: optionalLink,
    teamLeader: optionalText(200),
    description: optionalText(3000),
    repositoryUrl: optionalLink,
    documentationLinks: z.array(link).optional(),
    contacts: idList(SLACK_USER_ID, 'user').optional(),
    contactChannel: z
      .string()
      .trim()
      .regex(SLACK_CHANNEL_ID, { message: 'must be a Slack channel id, such as C0456EFGH' })
      .nullable()
      .optional(),
    earlyAdopterSites: z.array(z.string().trim().min(1).max(100)).optional(),
    platforms: z.array(z.string().trim().min(1)).optional(),
  })
  .strict();

/** What a card import or edit gives; a field left out keeps its current value on update. */
export type ProductCardInput = z.infer<typeof productCardSchema>;

/** The fields of a card, as the import format and the Edit form name them: the one list of them. */
export const PRODUCT_FIELDS = Object.keys(productCardSchema.shape) as readonly (keyof ProductCardInput)[];
/** The fields that hold a list (one entry per line in a form, `[]` when empty). */
export const PRODUCT_LIST_FIELDS: ReadonlySet<keyof ProductCardInput> = new Set([
  'documentationLinks',
  'contacts',
  'earlyAdopterSites',
  'platforms',
]);

export interface ProductCard {
  readonly id: number;
  readonly name: string;
  readonly team: string | null;
  readonly supportEmail: string | null;
  readonly website: string | null;
  readonly teamLeader: string | null;
  readonly description: string | null;
  readonly repositoryUrl: string | null;
  readonly documentationLinks: readonly string[];
  readonly contacts: readonly string[];
  readonly contactChannel: string | null;
  readonly earlyAdopterSites: readonly string[];
  readonly platforms: readonly string[];
}
