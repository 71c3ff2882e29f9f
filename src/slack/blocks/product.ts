/** `/cmd-product NAME`: a Product ID card, with Edit for staff. */
import type { ProductCard } from '../../domain/product.js';
import { button, context, escapeText, header, type KnownBlock, section } from './kit.js';

export const PRODUCT_EDIT_ACTION = 'product:edit';

export function productMessage(card: ProductCard, canEdit: boolean): { text: string; blocks: KnownBlock[] } {
  const line = (label: string, value: string | null | undefined) =>
    value ? `*${label}:* ${escapeText(value)}` : null;
  const lines = [
    line('Team', card.team),
    line('Support', card.supportEmail),
    line('Website', card.website),
    line('Team leader', card.teamLeader),
    line('Repository', card.repositoryUrl),
    card.documentationLinks.length
      ? `*Documentation:* ${card.documentationLinks.map(escapeText).join(', ')}`
      : null,
    `*Contacts:* ${card.contacts.length ? card.contacts.map((u) => `<@${u}>`).join(', ') : '_none: delays cannot reach the team_'}`,
    card.contactChannel ? `*Channel:* <#${card.contactChannel}>` : null,
    `*Default platforms:* ${card.platforms.join(', ') || '_none_'}`,
    card.earlyAdopterSites.length
      ? `*Early-adopter sites:* ${card.earlyAdopterSites.map(escapeText).join(', ')}`
      : null,
  ].filter((l) => l !== null);
  const blocks: KnownBlock[] = [header(`Product ID card: ${card.name}`), section(lines.join('\n'))];
  if (card.description) blocks.push(section(escapeText(card.description)));
  if (canEdit) blocks.push({ type: 'actions', elements: [button('Edit', PRODUCT_EDIT_ACTION, card.name)] });
  return { text: `Product ID card: ${card.name}`, blocks };
}

export function noProductMessage(
  name: string,
  known: readonly string[],
  canCreate: boolean,
): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    section(
      `There is no Product ID card named *${escapeText(name)}*.${known.length ? ` Known: ${known.map(escapeText).join(', ')}.` : ''}`,
    ),
  ];
  if (canCreate)
    blocks.push({
      type: 'actions',
      elements: [button(`Create ${name}`.slice(0, 75), PRODUCT_EDIT_ACTION, name, 'primary')],
    });
  else blocks.push(context('Ask the UMD team to create it.'));
  return { text: `No Product ID card named ${name}`, blocks };
}
