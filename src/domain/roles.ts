/**
 * Who may fire an event. A person can hold more than one role (a UMD staff member who is also listed on a
 * product card), so an actor carries a list.
 */
export const ROLES = ['staff', 'system', 'contact'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  /** A Slack user id, or `system` for the delay checker. */
  readonly id: string;
  readonly roles: readonly Role[];
}

export const SYSTEM_ACTOR: Actor = { id: 'system', roles: ['system'] };

export function actorHasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return roles.some((role) => actor.roles.includes(role));
}
