/** Product ID cards: register, update, and import a list of them (importing twice updates, never duplicates). */

import type { DB } from '../db/index.js';
import { appendHistory, recordRefusal } from '../db/repositories/audit.js';
import {
  findProductByName,
  insertProduct,
  listProducts,
  type ProductFields,
  productNameKey,
  updateProduct as saveProduct,
} from '../db/repositories/products.js';
import { resolvePlatform } from '../domain/platforms.js';
import {
  PRODUCT_FIELDS,
  PRODUCT_LIST_FIELDS,
  type ProductCard,
  type ProductCardInput,
  productCardSchema,
} from '../domain/product.js';
import { type Caller, Refused, type ServiceContext, transact } from './context.js';
import { ConflictError, type FieldProblem, InvalidInputError, NotFoundError } from './errors.js';

/** A card with nothing filled in but its name: lists empty, the rest null. */
const EMPTY_CARD = Object.fromEntries(
  PRODUCT_FIELDS.filter((field) => field !== 'name').map((field) => [
    field,
    PRODUCT_LIST_FIELDS.has(field) ? [] : null,
  ]),
) as unknown as Omit<ProductFields, 'name'>;

/** Every problem of one card at once: its fields, and platforms that are not configured. */
function cardProblems(
  ctx: ServiceContext,
  input: unknown,
  where = '',
): { readonly card: ProductCardInput | null; readonly problems: FieldProblem[] } {
  const parsed = productCardSchema.safeParse(input);
  const problems: FieldProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const field = issue.path.join('.') || 'card';
        const message =
          issue.code === 'unrecognized_keys'
            ? `${where}unknown field(s) ${issue.keys.join(', ')}; known fields: ${Object.keys(productCardSchema.shape).join(', ')}.`
            : `${where}${field}: ${issue.message}.`;
        return { field, message };
      });
  const names = ctx.platformNames;
  const platforms = (input as { platforms?: unknown } | null)?.platforms;
  const unknown = Array.isArray(platforms)
    ? platforms.filter((platform) => typeof platform === 'string' && !resolvePlatform(platform, names))
    : [];
  if (unknown.length > 0) {
    problems.push({
      field: 'platforms',
      message: `${where}platforms: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not configured; choose from ${ctx.platforms.join(', ')}.`,
    });
  }
  // Stored under the configured names: a card written with el9/x86_64 keeps al9/x86_64.
  const card =
    parsed.success && parsed.data.platforms
      ? {
          ...parsed.data,
          platforms: [...new Set(parsed.data.platforms.map((p) => resolvePlatform(p, names) ?? p))],
        }
      : parsed.success
        ? parsed.data
        : null;
  return { card, problems };
}

function validCard(ctx: ServiceContext, input: unknown): ProductCardInput {
  const { card, problems } = cardProblems(ctx, input);
  if (!card || problems.length > 0) throw new InvalidInputError(problems);
  return card;
}

/** Keeps current values for the fields the input leaves out. */
function merge(current: Omit<ProductFields, 'name'>, input: ProductCardInput): ProductFields {
  const merged: Record<string, unknown> = { name: input.name };
  for (const field of PRODUCT_FIELDS) {
    if (field !== 'name') merged[field] = input[field] === undefined ? current[field] : input[field];
  }
  return merged as ProductFields;
}

function refuseUnlessStaff(
  tx: DB,
  caller: Caller,
  event: string,
  now: Date,
  subjectId: number | null,
): Refused | null {
  if (caller.staff) return null;
  const message = 'Only the UMD team can create or edit Product ID cards. Ask them in the UMD channel.';
  recordRefusal(tx, {
    subjectType: 'product',
    subjectId,
    event,
    actor: caller.userId,
    kind: 'wrong_role',
    reason: message,
    at: now,
  });
  return new Refused({ kind: 'wrong_role', message, currentStatus: 'card', allowedMoves: [] });
}

function upsert(
  tx: DB,
  input: ProductCardInput,
  caller: Caller,
  now: Date,
): { card: ProductCard; created: boolean } {
  const existing = findProductByName(tx, input.name);
  const card = existing
    ? saveProduct(tx, existing.id, merge(existing, { ...input, name: existing.name }), now)
    : insertProduct(tx, merge(EMPTY_CARD, input), now);
  appendHistory(tx, {
    subjectType: 'product',
    subjectId: card.id,
    event: existing ? 'update_product' : 'register_product',
    fromStatus: null,
    toStatus: null,
    actor: caller.userId,
    reason: null,
    at: now,
  });
  return { card, created: existing === null };
}

export function registerProduct(ctx: ServiceContext, input: unknown, caller: Caller): ProductCard {
  const card = validCard(ctx, input);
  return transact(ctx, (tx, now) => {
    const refused = refuseUnlessStaff(tx, caller, 'register_product', now, null);
    if (refused) return refused;
    const existing = findProductByName(tx, card.name);
    if (existing)
      throw new ConflictError(`A Product ID card named ${existing.name} exists already; edit it instead.`);
    return upsert(tx, card, caller, now).card;
  });
}

export function updateProduct(
  ctx: ServiceContext,
  name: string,
  changes: unknown,
  caller: Caller,
): ProductCard {
  // `changes.name`, when given, renames the card; otherwise the name stays.
  const card = validCard(ctx, { name, ...(changes as object) });
  return transact(ctx, (tx, now) => {
    const existing = findProductByName(tx, name);
    if (!existing) throw new NotFoundError(`There is no Product ID card named ${name}.`);
    const refused = refuseUnlessStaff(tx, caller, 'update_product', now, existing.id);
    if (refused) return refused;
    const renamed = productNameKey(card.name) !== productNameKey(existing.name);
    const clash = renamed ? findProductByName(tx, card.name) : null;
    if (clash)
      throw new ConflictError(`A Product ID card named ${clash.name} exists already; choose another name.`);
    const updated = saveProduct(
      tx,
      existing.id,
      merge(existing, renamed ? card : { ...card, name: existing.name }),
      now,
    );
    appendHistory(tx, {
      subjectType: 'product',
      subjectId: existing.id,
      event: 'update_product',
      fromStatus: null,
      toStatus: null,
      actor: caller.userId,
      reason: renamed ? `renamed from ${existing.name}` : null,
      at: now,
    });
    return updated;
  });
}

export interface ImportResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
}

/** A whole list in one transaction: one bad card and none is imported, with every problem listed. */
export function importProducts(ctx: ServiceContext, list: unknown, caller: Caller): ImportResult {
  if (!Array.isArray(list)) {
    throw new InvalidInputError([
      { field: 'file', message: 'The file must hold a list of products (a JSON array or a YAML list).' },
    ]);
  }
  const problems: FieldProblem[] = [];
  const cards: ProductCardInput[] = [];
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    const where = `product ${index + 1}${typeof entry?.name === 'string' ? ` (${entry.name})` : ''}: `;
    const checked = cardProblems(ctx, entry, where);
    problems.push(...checked.problems);
    if (!checked.card) return;
    const key = productNameKey(checked.card.name);
    if (seen.has(key)) {
      problems.push({
        field: 'name',
        message: `${where}the name ${checked.card.name} appears twice in the file.`,
      });
    }
    seen.add(key);
    cards.push(checked.card);
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return transact(ctx, (tx, now) => {
    const refused = refuseUnlessStaff(tx, caller, 'import_products', now, null);
    if (refused) return refused;
    const created: string[] = [];
    const updated: string[] = [];
    for (const card of cards) {
      const result = upsert(tx, card, caller, now);
      (result.created ? created : updated).push(result.card.name);
    }
    return { created, updated };
  });
}

export function getProducts(ctx: ServiceContext): ProductCard[] {
  return listProducts(ctx.db);
}

export function getProduct(ctx: ServiceContext, name: string): ProductCard {
  const card = findProductByName(ctx.db, name);
  if (!card) throw new NotFoundError(`There is no Product ID card named ${name}.`);
  return card;
}

/** A card for a form: its platforms under their configured names (one saved as el9/x86_64 shows al9/x86_64). */
export function findProduct(ctx: ServiceContext, name: string): ProductCard | null {
  const card = findProductByName(ctx.db, name);
  return card && withConfiguredPlatforms(ctx, card);
}

/** The cards a person may submit releases for: every card for staff, their own cards for a contact. */
export function productsCallerMaySubmit(ctx: ServiceContext, caller: Caller): ProductCard[] {
  const all = listProducts(ctx.db);
  return (caller.staff ? all : all.filter((card) => card.contacts.includes(caller.userId))).map((card) =>
    withConfiguredPlatforms(ctx, card),
  );
}

/** Platforms a card was saved with, read through PLATFORM_ALIASES; one no name resolves stays as it is. */
function withConfiguredPlatforms(ctx: ServiceContext, card: ProductCard): ProductCard {
  const names = ctx.platformNames;
  const platforms = [...new Set(card.platforms.map((p) => resolvePlatform(p, names) ?? p))];
  return platforms.every((p, i) => p === card.platforms[i]) && platforms.length === card.platforms.length
    ? card
    : { ...card, platforms };
}
