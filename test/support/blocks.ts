/** Reading the Block Kit the app sent to the fake Slack, as a person would see it. */

export interface ActionElement {
  readonly action_id?: string;
  readonly value?: string;
  readonly text?: { readonly text: string };
}
export interface Block {
  readonly type: string;
  readonly block_id?: string;
  readonly elements?: readonly ActionElement[];
  readonly element?: Record<string, unknown>;
}

/** The buttons of the actions blocks (of one block id, if given). */
export function buttonsIn(blocks: unknown, blockId?: string): ActionElement[] {
  return ((blocks ?? []) as Block[])
    .filter((block) => block.type === 'actions' && (blockId === undefined || block.block_id === blockId))
    .flatMap((block) => [...(block.elements ?? [])]);
}

/** The value of the button a person would click: read from the posted blocks, never built by hand. */
export function buttonValue(blocks: unknown, actionId: string, blockId?: string): string {
  const found = buttonsIn(blocks, blockId).find((element) => element.action_id === actionId);
  if (found?.value === undefined) {
    throw new Error(`no ${actionId} button${blockId ? ` in ${blockId}` : ''}: ${JSON.stringify(blocks)}`);
  }
  return found.value;
}
