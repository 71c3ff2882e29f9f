/**
 * UMD5 descriptors through Slack, with UMD 5's platform (PLATFORMS al9/x86_64, the default): uploaded in the /cmd-submit
 * form (files.info and the download served by the fake Slack), uploaded in a direct message to the bot, and
 * given back to staff from the card's "UMD5 descriptor" button.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProductByName } from '../../src/db/repositories/products.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { registerProduct } from '../../src/services/index.js';
import { DESCRIPTOR_ACTION } from '../../src/slack/blocks/card.js';
import {
  CONTACT_ID,
  field,
  STAFF_ID,
  STRANGER_ID,
  startTestBot,
  type TestBot,
  UMD_CHANNEL,
} from '../support/bot.js';
import { dmChannelId, FAKE_IDS } from '../support/fake-slack.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/umd5');
const realFile = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const ARC_FILE = 'arc6-6.20.1-el9.json';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot({ env: { PLATFORMS: 'al9/x86_64' }, seedProducts: false });
  for (const name of ['ARC', 'HTCondor-CE', 'voms']) {
    registerProduct(t.bot.ctx, { name, contacts: [CONTACT_ID] }, { userId: STAFF_ID, staff: true });
  }
});
afterEach(async () => {
  await t.stop();
});

const productId = (name: string) => String(findProductByName(t.bot.ctx.db, name)?.id);
const uploaded = (fileId: string) => ({ value: { type: 'file_input', files: [{ id: fileId, name: 'x' }] } });
const submitForm = (values: Record<string, Record<string, unknown>>, userId = CONTACT_ID) =>
  t.submitView(userId, 'submit_release', '{}', values);
type FormAnswer = { response_action: string; errors?: Record<string, string>; view?: unknown };

describe('a UMD5 descriptor uploaded in the /cmd-submit form', () => {
  it('when the form opens, then it offers a .json file input beside the fields', async () => {
    await t.command(CONTACT_ID, '/cmd-submit');
    await t.slack.waitFor((calls) => calls.some((c) => c.method === 'views.open'));
    expect(t.slack.callsTo('views.open')).toHaveLength(1);
    const view = t.slack.callsTo('views.open')[0]?.args.view as { blocks: Record<string, unknown>[] };
    expect(view.blocks[0]).toMatchObject({
      block_id: 'descriptor',
      optional: true,
      element: { type: 'file_input', filetypes: ['json'], max_files: 1 },
    });
  });

  it('when a contact uploads ARC 6.20.1, then it becomes a submission on al9/x86_64, with the warnings, and the card says what the descriptor says', async () => {
    const fileId = t.slack.hostFile({ name: ARC_FILE, content: realFile(ARC_FILE) });
    const response = await submitForm({
      descriptor: uploaded(fileId),
      product: field.select(productId('ARC')),
    });

    const answer = response.json as FormAnswer;
    expect(answer.response_action).toBe('update');
    const shown = JSON.stringify(answer.view);
    expect(shown).toContain('*ARC 6.20.1* is submitted as *SUB-1* for al9/x86_64 (UMD-5)');
    expect(shown).toContain(
      '\\"documentationLinks\\" holds \\"link2\\", which is not a link (a placeholder?).',
    );
    // Fetched with the bot's token, from the address files.info gave.
    expect(t.slack.callsTo('files.info')[0]?.args).toMatchObject({ file: fileId, token: 'xoxb-test-token' });
    expect(t.slack.callsTo(`download:${fileId}`)[0]?.args).toEqual({ authorized: true });

    const submission = findSubmission(t.bot.ctx.db, 1);
    expect(submission).toMatchObject({ version: '6.20.1', distribution: 'UMD-5', platforms: ['al9/x86_64'] });
    expect(submission?.packagesByPlatform['al9/x86_64']).toHaveLength(33);
    expect(submission?.descriptor).toEqual(JSON.parse(realFile(ARC_FILE)));

    await t.drain();
    const card = JSON.stringify(
      t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === UMD_CHANNEL)?.args.blocks,
    );
    expect(card).toContain('From a UMD5 descriptor · *Provider:* NORDUGRID');
    expect(card).toContain('*Install al9/x86_64* from `sw/production/umd/5/al9/release/x86_64`');
    expect(card).toContain('needs OS repos crb');
    expect(card).toContain('*The descriptor needs a look:*');
    expect(card).toContain(DESCRIPTOR_ACTION);
  });

  it('when the descriptor lists an rpm twice, then the file field says which, and nothing is stored', async () => {
    const name = 'htcondor-ce-23.0-el9.duplicate-rpm.json';
    const fileId = t.slack.hostFile({ name, content: realFile(name) });
    const response = await submitForm({ descriptor: uploaded(fileId) });
    const answer = response.json as FormAnswer;
    expect(answer.response_action).toBe('errors');
    expect(answer.errors?.descriptor).toContain(
      'target[0].rpms lists htcondor-ce-pbs-23.0.13-1.el9.noarch twice',
    );
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });

  it('when the form also has a version typed, names another product, or the file is not JSON, then the field to fix says so', async () => {
    const arc = t.slack.hostFile({ name: ARC_FILE, content: realFile(ARC_FILE) });
    const text = t.slack.hostFile({ name: 'notes.txt', content: 'hello' });
    const [typed, otherProduct, notJson] = await Promise.all([
      submitForm({ descriptor: uploaded(arc), version: field.text('6.20.1') }),
      submitForm({ descriptor: uploaded(arc), product: field.select(productId('voms')) }),
      submitForm({ descriptor: uploaded(text) }),
    ]);
    expect((typed.json as FormAnswer).errors).toEqual({
      descriptor:
        'The descriptor gives the version, release notes and packages: empty Version, or remove the file.',
    });
    expect((otherProduct.json as FormAnswer).errors).toEqual({
      product: "The descriptor is for ARC, not voms: choose ARC, or upload voms's descriptor.",
    });
    expect((notJson.json as FormAnswer).errors?.descriptor).toContain('notes.txt is not a .json file');
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });

  it('when Slack will not hand the file over (a sign-in page instead), then the person is told, and nothing is stored', async () => {
    const fileId = t.slack.hostFile({ name: ARC_FILE, content: realFile(ARC_FILE) });
    // An address elsewhere (here a server of its own beside the fake Slack) must never be asked, token or not.
    const asked: string[] = [];
    const elsewhereServer = createServer((request, response) => {
      asked.push(`${request.url} ${request.headers.authorization ?? ''}`);
      response.end(realFile(ARC_FILE));
    });
    await new Promise<void>((listening) => elsewhereServer.listen(0, '127.0.0.1', listening));
    const { port } = elsewhereServer.address() as AddressInfo;
    t.slack.respondWith('files.info', () => ({
      body: {
        ok: true,
        file: { name: ARC_FILE, url_private_download: `http://127.0.0.1:${port}/steal` },
      },
    }));
    const elsewhere = (await submitForm({ descriptor: uploaded(fileId) })).json as FormAnswer;
    await new Promise<void>((closed) => elsewhereServer.close(() => closed()));
    expect(elsewhere.errors?.descriptor).toBe(
      'Slack did not say where to fetch the file from. Upload it again.',
    );
    expect(asked).toEqual([]);

    // Slack's own file host, answering with its sign-in page (the token not accepted).
    t.slack.respondWith('files.info', () => ({
      body: {
        ok: true,
        file: {
          name: ARC_FILE,
          url_private_download: t.slack.url.replace('/api/', '/files-pri/T0FAKETEAM-FNOSUCH/download/x.json'),
        },
      },
    }));
    const signIn = (await submitForm({ descriptor: uploaded(fileId) })).json as FormAnswer;
    expect(signIn.errors?.descriptor).toContain('Slack would not hand the file over to cmd-bot');
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });
});

describe('a UMD5 descriptor uploaded in a direct message to the bot', () => {
  it('when a contact drops the ARC file in the DM, then it is submitted and the answer comes back there with the warnings', async () => {
    const fileId = t.slack.hostFile({ name: ARC_FILE, content: realFile(ARC_FILE) });
    const channel = dmChannelId(CONTACT_ID);
    const response = await t.event({
      type: 'message',
      subtype: 'file_share',
      channel,
      channel_type: 'im',
      user: CONTACT_ID,
      text: '',
      ts: '1700000000.000100',
      files: [{ id: fileId, name: ARC_FILE }],
    });
    expect(response.status).toBe(200);
    const calls = await t.slack.waitFor((all) =>
      all.some((c) => c.method === 'chat.postMessage' && c.args.channel === channel),
    );
    const answer = calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    expect(String(answer?.args.text)).toContain(
      '*ARC 6.20.1* is submitted as *SUB-1* for al9/x86_64 (UMD-5). It came from arc6-6.20.1-el9.json.',
    );
    expect(String(answer?.args.text)).toContain('which is not a link (a placeholder?)');
    expect(findSubmission(t.bot.ctx.db, 1)?.descriptor).toEqual(JSON.parse(realFile(ARC_FILE)));
  });

  it('when a stranger drops it, then they are told who may submit; the bot never answers its own messages', async () => {
    const fileId = t.slack.hostFile({ name: ARC_FILE, content: realFile(ARC_FILE) });
    const channel = dmChannelId(STRANGER_ID);
    const base = { type: 'message', channel_type: 'im', ts: '1700000000.000200', files: [{ id: fileId }] };
    await t.event({
      ...base,
      subtype: 'bot_message',
      bot_id: FAKE_IDS.botId,
      channel,
      user: FAKE_IDS.botUserId,
    });
    // The bot's own user, without a bot id: Bolt's ignoreSelf rule, which the router applies (src/slack/router.ts).
    await t.event({ ...base, subtype: 'file_share', channel, user: FAKE_IDS.botUserId });
    await t.event({ ...base, subtype: 'file_share', channel, user: STRANGER_ID });
    const calls = await t.slack.waitFor((all) =>
      all.some((c) => c.method === 'chat.postMessage' && c.args.channel === channel),
    );
    const answers = calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    expect(answers).toHaveLength(1);
    expect(String(answers[0]?.args.text)).toContain("Only ARC's contacts");
    expect(t.slack.callsTo('files.info')).toHaveLength(1);
    expect(findSubmission(t.bot.ctx.db, 1)).toBeNull();
  });
});

describe("the card's UMD5 descriptor button", () => {
  it('when staff click it, then the descriptor as it came is uploaded to their DM; anyone else is refused', async () => {
    const fileId = t.slack.hostFile({ name: ARC_FILE, content: realFile(ARC_FILE) });
    await submitForm({ descriptor: uploaded(fileId), product: field.select(productId('ARC')) });

    await t.click(STRANGER_ID, DESCRIPTOR_ACTION, 'SUB-1');
    await t.slack.waitFor((calls) => calls.some((c) => c.method === `response_url:click-${STRANGER_ID}`));
    expect(t.slack.callsTo(`response_url:click-${STRANGER_ID}`)).toHaveLength(1);
    expect(JSON.stringify(t.slack.callsTo(`response_url:click-${STRANGER_ID}`)[0]?.args)).toContain(
      'Only the UMD team can take',
    );

    await t.click(STAFF_ID, DESCRIPTOR_ACTION, 'SUB-1');
    const calls = await t.slack.waitFor((all) =>
      all.some((c) => c.method === 'files.completeUploadExternal'),
    );
    const upload = calls.find((c) => c.method.startsWith('upload:'));
    expect(JSON.parse(String(upload?.args.bytes))).toEqual(JSON.parse(realFile(ARC_FILE)));
    expect(t.slack.callsTo('files.getUploadURLExternal')[0]?.args.filename).toBe(
      'ARC-6.20.1-al9-x86_64.json',
    );
    expect(t.slack.callsTo('files.completeUploadExternal')[0]?.args.channel_id).toBe(dmChannelId(STAFF_ID));
  });
});
