import type { ProductCard } from '../domain/product.js';
import type { Actor, Role } from '../domain/roles.js';
import type { Caller } from './context.js';

/** A caller's roles for one product: staff from the configuration, contact from the product's card. */
export function actorFor(caller: Caller, product: ProductCard): Actor {
  const roles: Role[] = [];
  if (caller.staff) roles.push('staff');
  if (product.contacts.includes(caller.userId)) roles.push('contact');
  return { id: caller.userId, roles };
}
