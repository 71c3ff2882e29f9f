/**
 * `/cmd-report [month]` in the running app against the fake Slack: staff get March 2027 of
 * test/support/report-fixture.ts (the figures worked out by hand in test/services/report.test.ts) in Block Kit;
 * anyone else is refused and shown nothing of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_ID, STAFF_ID, startTestBot, type TestBot } from '../support/bot.js';
import { dmChannelId } from '../support/fake-slack.js';
import { seedReportHistory } from '../support/report-fixture.js';

interface Reply {
  readonly response_type?: string;
  readonly text?: string;
  readonly blocks?: unknown[];
}

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ start: '2027-02-01T09:00:00Z', seedProducts: false });
  seedReportHistory(t.bot.ctx, t.clock);
  // In April, the last full month is March.
  t.clock.set('2027-04-02T09:00:00Z');
});
afterAll(() => t.stop());

const reply = async (userId: string, text = ''): Promise<Reply> =>
  (await t.command(userId, '/cmd-report', text)).json as Reply;

describe('/cmd-report', () => {
  it('when staff ask without a month, then they see last month in Block Kit, with the command line for the whole report', async () => {
    const answer = await reply(STAFF_ID);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "Process report, March 2027",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "elements": [
              {
                "text": "2027-03-01 to 2027-03-31 (Europe/Amsterdam). Time waiting for the provider is not counted; days are 24 hours. Definitions: docs/reports.md.",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": "*Stages*
      • Injection: 3 went through, 2 within the limit (67%), median 3.0 d, 90th percentile 9.0 d, 1 delayed
      • Unverified: 4 went through, 3 within the limit (75%), median 1.0 d, 90th percentile 30.0 d, 1 delayed
      • Verification: 3 went through, 2 within the limit (67%), median 6.9 d, 90th percentile 8.0 d, 1 delayed
      • Staged Rollout: 2 went through, 1 within the limit (50%), median 14.0 d, 90th percentile 38.0 d, 1 delayed",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Delays by explanation*: Testbed unavailable 1, No early adopter available 1, UMD team capacity 1, Not explained 1",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Open and overdue at the end of 2027-03-31* (1)
      • *TKT-6* dCache 9.2 el9/x86_64 · Verification, due 2027-03-19 10:00 UTC, 19.5 d in stage · Not explained",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Per product*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*ARC*
      • Injection: 2 went through, 1 within the limit (50%), median 2.0 d, 90th percentile 9.0 d, 1 delayed
      • Unverified: 2 went through, 2 within the limit (100%), median 1.0 d, 90th percentile 2.0 d, 0 delayed
      • Verification: 2 went through, 1 within the limit (50%), median 3.0 d, 90th percentile 8.0 d, 1 delayed
      • Staged Rollout: 1 went through, 1 within the limit (100%), median 14.0 d, 90th percentile 14.0 d, 0 delayed
      Delays: Testbed unavailable 1, Not explained 1",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*dCache*
      • Injection: 1 went through, 1 within the limit (100%), median 3.0 d, 90th percentile 3.0 d, 0 delayed
      • Unverified: 2 went through, 1 within the limit (50%), median 1.0 d, 90th percentile 30.0 d, 1 delayed
      • Verification: 1 went through, 1 within the limit (100%), median 6.9 d, 90th percentile 6.9 d, 0 delayed
      • Staged Rollout: 1 went through, 0 within the limit (0%), median 38.0 d, 90th percentile 38.0 d, 1 delayed
      Delays: No early adopter available 1, UMD team capacity 1",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "The whole report: \`cmd-bot report --from 2027-03-01 --to 2027-03-31\` (Markdown), or add \`--format csv\` for a spreadsheet, on the bot's host.",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "response_type": "ephemeral",
        "text": "Process report, March 2027",
      }
    `);
  });

  it('when staff name the month, then it is that month', async () => {
    const named = await reply(STAFF_ID, '2027-03');
    expect(named).toEqual(await reply(STAFF_ID));
    const february = await reply(STAFF_ID, '2027-02');
    expect(february.text).toBe('Process report, February 2027');
  });

  it('when staff write the month wrongly, then they are told how to write it', async () => {
    const answer = await reply(STAFF_ID, 'March');
    expect(answer.text).toBe('"March" is not a month: write it YYYY-MM, such as 2027-03.');
    expect(answer.blocks).toBeUndefined();
  });

  it('when someone who is not staff asks, then they are refused and shown none of the report', async () => {
    t.slack.reset();
    const answer = await reply(CONTACT_ID, '2027-03');
    expect(answer).toEqual({
      response_type: 'ephemeral',
      text: 'Only the UMD team can see the process report.',
    });
    expect(
      t.slack.calls.filter((call) => /^(files\.|upload:|conversations\.open)/.test(call.method)),
    ).toEqual([]);
  });

  it('when staff ask, then the chart of the six months up to the one reported goes to their direct messages', async () => {
    t.slack.reset();
    await reply(STAFF_ID, '2027-03');

    const asked = t.slack.callsTo('files.getUploadURLExternal');
    expect(t.slack.callsTo('conversations.open').map((call) => call.args.users)).toEqual([STAFF_ID]);
    expect(asked.map((call) => call.args.filename)).toEqual(['cmd-report-2027-03.png']);
    const uploads = t.slack.calls.filter((call) => call.method.startsWith('upload:'));
    expect(uploads).toHaveLength(1);
    const fileId = uploads[0]?.method.slice('upload:'.length);
    const uploaded = uploads[0]?.args.bytes as Buffer | undefined;
    expect(uploaded?.subarray(1, 4).toString()).toBe('PNG');
    expect(Number(asked[0]?.args.length)).toBe(uploaded?.length);
    const completed = t.slack.callsTo('files.completeUploadExternal');
    expect(completed.map((call) => call.args)).toEqual([
      expect.objectContaining({
        channel_id: dmChannelId(STAFF_ID),
        files: [{ id: fileId, title: 'CMD/UMD provisioning, Oct 2026 – Mar 2027' }],
        initial_comment:
          'The chart of your /cmd-report: share within the limit and median time in each stage.',
      }),
    ]);
    // The bytes sent to the upload address are counted as a file upload, not as an answer to the command.
    expect(await t.bot.metrics.exposition()).toMatch(
      /^cmd_bot_slack_api_calls_total\{method="file_upload",outcome="ok"\} [1-9]/m,
    );
  });

  it('when Slack refuses the chart, then the report still stands and staff are told the chart did not come', async () => {
    t.slack.reset();
    t.slack.respondWith('files.getUploadURLExternal', () => ({
      body: { ok: false, error: 'missing_scope' },
    }));

    const answer = await reply(STAFF_ID, '2027-03');

    expect(answer.text).toBe('Process report, March 2027');
    expect(t.slack.callsTo(`response_url:cmd-${STAFF_ID}`).map((call) => call.args.text)).toEqual([
      'The chart of the report could not be sent to your direct messages with cmd-bot; the figures above are complete.',
    ]);
    expect(t.slack.callsTo('files.completeUploadExternal')).toEqual([]);
  });
});
