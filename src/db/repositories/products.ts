import { asc, eq } from 'drizzle-orm';
import type { ProductCard } from '../../domain/product.js';
import type { DB } from '../index.js';
import { products } from '../schema.js';
import { rowReader } from '../statements.js';

type Row = typeof products.$inferSelect;
export type ProductFields = Omit<ProductCard, 'id'>;

export function toProductCard(row: Row): ProductCard {
  return {
    id: row.id,
    name: row.name,
    team: row.team,
    supportEmail: row.supportEmail,
    website: row.website,
    teamLeader: row.teamLeader,
    description: row.description,
    repositoryUrl: row.repositoryUrl,
    documentationLinks: row.documentationLinks,
    contacts: row.contacts,
    contactChannel: row.contactChannel,
    earlyAdopterSites: row.earlyAdopterSites,
    platforms: row.platforms,
  };
}

/**
 * Product names are unique without regard to case, in any script: SQLite's lower() folds only A–Z, so the
 * folded key is computed here and stored beside the name.
 */
export function productNameKey(name: string): string {
  return name.trim().normalize('NFKC').toLowerCase();
}

const productRows = rowReader(products);

export function findProductByName(db: DB, name: string): ProductCard | null {
  const statement = productRows.statement(db, 'name_key = ?');
  const row = productRows.one(statement.get(productNameKey(name)));
  return row ? toProductCard(row) : null;
}

export function findProductById(db: DB, id: number): ProductCard | null {
  const row = productRows.one(productRows.statement(db, 'id = ?').get(id));
  return row ? toProductCard(row) : null;
}

export function listProducts(db: DB): ProductCard[] {
  return db.select().from(products).orderBy(asc(products.nameKey)).all().map(toProductCard);
}

export function insertProduct(db: DB, fields: ProductFields, now: Date): ProductCard {
  const row = db
    .insert(products)
    .values({ ...copyLists(fields), nameKey: productNameKey(fields.name), createdAt: now, updatedAt: now })
    .returning()
    .get();
  return toProductCard(row);
}

export function updateProduct(db: DB, id: number, fields: ProductFields, now: Date): ProductCard {
  const row = db
    .update(products)
    .set({ ...copyLists(fields), nameKey: productNameKey(fields.name), updatedAt: now })
    .where(eq(products.id, id))
    .returning()
    .get();
  if (!row) throw new Error(`product ${id} vanished during an update`);
  return toProductCard(row);
}

function copyLists(fields: ProductFields) {
  return {
    ...fields,
    documentationLinks: [...fields.documentationLinks],
    contacts: [...fields.contacts],
    earlyAdopterSites: [...fields.earlyAdopterSites],
    platforms: [...fields.platforms],
  };
}
