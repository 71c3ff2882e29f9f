/** `/cmd-product NAME`: a Product ID card, with Edit for staff. */
import type { ProductCard } from '../../domain/product.js';
import { channelMention } from '../../mrkdwn.js';
import {
  button,
  context,
  header,
  joinMd,
  type KnownBlock,
  type Mrkdwn,
  md,
  mention,
  message,
  type SlackMessage,
  section,
} from './kit.js';

export const PRODUCT_EDIT_ACTION = 'product:edit';

export function productMessage(card: ProductCard, canEdit: boolean): SlackMessage {
  const line = (label: string, value: string | null | undefined) => (value ? md`*${label}:* ${value}` : null);
  const lines = [
    line('Team', card.team),
    line('Support', card.supportEmail),
    line('Website', card.website),
    line('Team leader', card.teamLeader),
    line('Repository', card.repositoryUrl),
    card.documentationLinks.length ? md`*Documentation:* ${card.documentationLinks.join(', ')}` : null,
    md`*Contacts:* ${card.contacts.length ? joinMd(card.contacts.map(mention), ', ') : md`_none: delays cannot reach the team_`}`,
    card.contactChannel ? md`*Channel:* ${channelMention(card.contactChannel)}` : null,
    md`*Default platforms:* ${card.platforms.length ? card.platforms.join(', ') : md`_none_`}`,
    card.earlyAdopterSites.length ? md`*Early-adopter sites:* ${card.earlyAdopterSites.join(', ')}` : null,
  ].filter((l): l is Mrkdwn => l !== null);
  const blocks: KnownBlock[] = [header(md`Product ID card: ${card.name}`), section(joinMd(lines, '\n'))];
  if (card.description) blocks.push(section(card.description));
  if (canEdit) blocks.push({ type: 'actions', elements: [button('Edit', PRODUCT_EDIT_ACTION, card.name)] });
  return message(md`Product ID card: ${card.name}`, blocks);
}

export function noProductMessage(name: string, known: readonly string[], canCreate: boolean): SlackMessage {
  const blocks: KnownBlock[] = [
    section(
      md`There is no Product ID card named *${name}*.${known.length ? ` Known: ${known.join(', ')}.` : ''}`,
    ),
  ];
  if (canCreate)
    blocks.push({
      type: 'actions',
      elements: [button(`Create ${name}`, PRODUCT_EDIT_ACTION, name, 'primary')],
    });
  else blocks.push(context('Ask the UMD team to create it.'));
  return message(md`No Product ID card named ${name}`, blocks);
}
