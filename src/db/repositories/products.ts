import { asc, eq, sql } from 'drizzle-orm';
import type { ProductCard } from '../../domain/product.js';
import type { DbOrTx } from '../index.js';
import { products } from '../schema.js';

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

/** Product names are unique without regard to case: "arc" and "ARC" are one card. */
export function findProductByName(db: DbOrTx, name: string): ProductCard | null {
  const row = db.select().from(products).where(sql`lower(${products.name}) = lower(${name.trim()})`).get();
  return row ? toProductCard(row) : null;
}

export function findProductById(db: DbOrTx, id: number): ProductCard | null {
  const row = db.select().from(products).where(eq(products.id, id)).get();
  return row ? toProductCard(row) : null;
}

export function listProducts(db: DbOrTx): ProductCard[] {
  return db
    .select()
    .from(products)
    .orderBy(asc(sql`lower(${products.name})`))
    .all()
    .map(toProductCard);
}

export function insertProduct(db: DbOrTx, fields: ProductFields, now: Date): ProductCard {
  const row = db
    .insert(products)
    .values({ ...copyLists(fields), createdAt: now, updatedAt: now })
    .returning()
    .get();
  return toProductCard(row);
}

export function updateProduct(db: DbOrTx, id: number, fields: ProductFields, now: Date): ProductCard {
  const row = db
    .update(products)
    .set({ ...copyLists(fields), updatedAt: now })
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
