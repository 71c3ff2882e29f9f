/** Product ID cards: register, update, and import a list of them (importing twice updates, never duplicates). */

import type { Tx } from '../db/index.js';
import { appendHistory, recordRefusal } from '../db/repositories/audit.js';
import {
  findProductByName,
  insertProduct,
  listProducts,
  type ProductFields,
  updateProduct as saveProduct,
} from '../db/repositories/products.js';
import { type ProductCard, type ProductCardInput, productCardSchema } from '../domain/product.js';
import { type Caller, Refused, type ServiceContext, transact } from './context.js';
import { ConflictError, type FieldProblem, InvalidInputError, NotFoundError } from './errors.js';

const EMPTY_CARD: Omit<ProductFields, 'name'> = {
  team: null,
  supportEmail: null,
  website: null,
  teamLeader: null,
  description: null,
  repositoryUrl: null,
  documentationLinks: [],
  contacts: [],
  contactChannel: null,
  earlyAdopterSites: [],
  platforms: [],
};

function parseCard(input: unknown, where = ''): ProductCardInput {
  const parsed = productCardSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    parsed.error.issues.map((issue): FieldProblem => {
      const field = issue.path.join('.') || 'card';
      const message =
        issue.code === 'unrecognized_keys'
          ? `${where}unknown field(s) ${issue.keys.join(', ')}; known fields: ${Object.keys(productCardSchema.shape).join(', ')}.`
          : `${where}${field}: ${issue.message}.`;
      return { field, message };
    }),
  );
}

function checkPlatforms(ctx: ServiceContext, card: ProductCardInput, where = ''): void {
  const unknown = (card.platforms ?? []).filter((platform) => !ctx.platforms.includes(platform));
  if (unknown.length > 0) {
    throw new InvalidInputError([
      {
        field: 'platforms',
        message: `${where}platforms: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not configured; choose from ${ctx.platforms.join(', ')}.`,
      },
    ]);
  }
}

/** Keeps current values for the fields the input leaves out. */
function merge(current: Omit<ProductFields, 'name'>, input: ProductCardInput): ProductFields {
  const pick = <K extends Exclude<keyof ProductCardInput & keyof ProductFields, 'name'>>(key: K) =>
    (input[key] === undefined ? current[key] : input[key]) as ProductFields[K];
  return {
    name: input.name,
    team: pick('team'),
    supportEmail: pick('supportEmail'),
    website: pick('website'),
    teamLeader: pick('teamLeader'),
    description: pick('description'),
    repositoryUrl: pick('repositoryUrl'),
    documentationLinks: pick('documentationLinks'),
    contacts: pick('contacts'),
    contactChannel: pick('contactChannel'),
    earlyAdopterSites: pick('earlyAdopterSites'),
    platforms: pick('platforms'),
  };
}

function refuseUnlessStaff(
  tx: Tx,
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
  tx: Tx,
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
  const card = parseCard(input);
  checkPlatforms(ctx, card);
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
  const card = parseCard({ ...(changes as object), name });
  checkPlatforms(ctx, card);
  return transact(ctx, (tx, now) => {
    const existing = findProductByName(tx, name);
    if (!existing) throw new NotFoundError(`There is no Product ID card named ${name}.`);
    const refused = refuseUnlessStaff(tx, caller, 'update_product', now, existing.id);
    if (refused) return refused;
    return upsert(tx, card, caller, now).card;
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
    try {
      const card = parseCard(entry, where);
      checkPlatforms(ctx, card, where);
      if (seen.has(card.name.toLowerCase())) {
        problems.push({ field: 'name', message: `${where}the name ${card.name} appears twice in the file.` });
      }
      seen.add(card.name.toLowerCase());
      cards.push(card);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      problems.push(...error.problems);
    }
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
