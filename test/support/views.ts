/** Reading a modal the app opened, the way Slack shows it and sends it back. */

export interface ViewBlock {
  readonly type: string;
  readonly block_id?: string;
  readonly text?: unknown;
  readonly elements?: readonly unknown[];
  readonly element?: { readonly type: string; readonly action_id?: string } & Record<string, unknown>;
}
export interface OpenedModal {
  readonly type: string;
  readonly callback_id?: string;
  readonly private_metadata?: string;
  readonly submit?: unknown;
  readonly blocks: readonly ViewBlock[];
}

interface Option {
  readonly text: { readonly text: string };
  readonly value: string;
}

export type ViewValues = Record<string, Record<string, unknown>>;

/** The state Slack sends for a modal nobody changed: each input block's initial value. */
export function stateFromModal(view: OpenedModal): ViewValues {
  const state: ViewValues = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const element = block.element;
    const id = element.action_id ?? 'value';
    switch (element.type) {
      case 'plain_text_input':
        state[block.block_id] = { [id]: { type: element.type, value: element.initial_value ?? null } };
        break;
      case 'multi_users_select':
        state[block.block_id] = { [id]: { type: element.type, selected_users: element.initial_users ?? [] } };
        break;
      case 'users_select':
        state[block.block_id] = { [id]: { type: element.type, selected_user: element.initial_user ?? null } };
        break;
      case 'conversations_select':
        state[block.block_id] = {
          [id]: { type: element.type, selected_conversation: element.initial_conversation ?? null },
        };
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state[block.block_id] = {
          [id]: { type: element.type, selected_options: element.initial_options ?? [] },
        };
        break;
      case 'file_input':
        // Nothing uploaded: Slack sends an empty list of files.
        state[block.block_id] = { [id]: { type: element.type, files: [] } };
        break;
      case 'static_select':
      case 'radio_buttons':
        state[block.block_id] = {
          [id]: { type: element.type, selected_option: element.initial_option ?? null },
        };
        break;
      default:
        throw new Error(`stateFromModal: no rule for ${element.type}`);
    }
  }
  return state;
}

/** The options an input block offers (empty when it offers none). */
export function optionsOf(view: OpenedModal, blockId: string): Option[] {
  const element = view.blocks.find((block) => block.block_id === blockId)?.element;
  return ((element?.options as Option[] | undefined) ?? []).slice();
}

/**
 * Every limit of SLACK-NOTES.md an input of this modal breaks, beyond the ones Slack would refuse the view for:
 * an initial value longer than its input may hold, an option value or list longer than Slack keeps.
 */
export function inputProblems(view: OpenedModal): string[] {
  const problems: string[] = [];
  if (view.blocks.length > 100) problems.push(`${view.blocks.length} blocks`);
  if ((view.private_metadata?.length ?? 0) > 3000) problems.push('private_metadata over 3000 characters');
  for (const block of view.blocks) {
    const element = block.element;
    if (block.type !== 'input' || !element) continue;
    const at = `${block.block_id} (${element.type})`;
    if (element.type === 'plain_text_input') {
      const max = Number(element.max_length ?? 3000);
      const initial = String(element.initial_value ?? '');
      if (max > 3000) problems.push(`${at}: max_length ${max}`);
      if (initial.length > max) problems.push(`${at}: initial value of ${initial.length} > ${max}`);
    }
    const options = (element.options as Option[] | undefined) ?? [];
    const limit = element.type === 'checkboxes' ? 10 : 100;
    if (options.length > limit) problems.push(`${at}: ${options.length} options (limit ${limit})`);
    const picked = [
      ...options,
      ...((element.initial_options as Option[] | undefined) ?? []),
      ...(element.initial_option ? [element.initial_option as Option] : []),
    ];
    for (const option of picked) {
      if (option.value.length > 75) problems.push(`${at}: option value of ${option.value.length}`);
      if (option.text.text.length > 75) problems.push(`${at}: option text of ${option.text.text.length}`);
    }
  }
  return problems;
}

/** Everything a person reads in the modal, as one string. */
export const shownIn = (view: OpenedModal): string => JSON.stringify(view.blocks);
