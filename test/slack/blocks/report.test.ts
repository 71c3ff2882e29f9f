/** `/cmd-report`'s message within Slack's limits, whatever the products are called and however many there are. */
import { describe, expect, it } from 'vitest';
import type { ProcessReport, StageFigures } from '../../../src/services/index.js';
import { LIMITS } from '../../../src/slack/blocks/kit.js';
import { reportMessage } from '../../../src/slack/blocks/report.js';

const WINDOW = { from: new Date('2027-02-28T23:00:00Z'), to: new Date('2027-03-31T22:00:00Z') };
const stages = (n: number): StageFigures[] =>
  (['injection', 'unverified', 'verification', 'staged_rollout'] as const).map((stage) => ({
    stage,
    wentThrough: n,
    withinLimit: n,
    withinShare: n === 0 ? null : 1,
    medianMs: n === 0 ? null : 86_400_000,
    p90Ms: n === 0 ? null : 86_400_000,
    delayed: 0,
  }));
const report = (products: string[]): ProcessReport => ({
  window: WINDOW,
  stages: stages(products.length),
  delays: [],
  products: products.map((product) => ({ product, stages: stages(1), delays: [] })),
  overdue: [],
});
const text = (message: ReturnType<typeof reportMessage>) => JSON.stringify(message.blocks);

describe('/cmd-report message', () => {
  it('when a product is named like markup, then its name shows as text and pings nobody', () => {
    const shown = text(reportMessage(report(['<!channel> & co']), 'Europe/Amsterdam'));
    expect(shown).toContain('*&lt;!channel&gt; &amp; co*');
    expect(shown).not.toContain('<!channel>');
  });

  it('when there are more products than blocks, then the message keeps Slack’s 50 blocks, says how many were left out and still gives the command line', () => {
    const many = Array.from({ length: 80 }, (_, i) => `P${i + 1}`);
    const blocks = reportMessage(report(many), 'Europe/Amsterdam').blocks ?? [];
    expect(blocks).toHaveLength(LIMITS.messageBlocks);
    expect(JSON.stringify(blocks.at(-2))).toContain('…and 38 more products: see the full report.');
    expect(JSON.stringify(blocks.at(-1))).toContain('cmd-bot report --from 2027-03-01 --to 2027-03-31');
  });

  it('when nothing went through, then each stage says so', () => {
    const shown = text(reportMessage(report([]), 'Europe/Amsterdam'));
    expect(shown).toContain('• Injection: none went through');
    expect(shown).toContain('*Per product*: no product went through a stage.');
    expect(shown).toContain('*Open and overdue at the end of 2027-03-31*: none');
  });
});
