/** The reply in a card's thread: the changes waiting together in one reply, capped so nothing can flood it. */
import { describe, expect, it } from 'vitest';
import { md, mention } from '../../src/mrkdwn.js';
import { THREAD_REPLY_LINES, threadReply } from '../../src/slack/blocks/notices.js';

describe('a thread reply', () => {
  it('when a few changes wait together, then they go as one reply, a line each', () => {
    const reply = threadReply([md`${mention('U0STAFF01')}: Start verification`, md`second`], 3);
    expect(reply).toEqual({ text: '<@U0STAFF01>: Start verification\nsecond' });
  });

  // FIXED (src/slack/blocks/notices.ts): 200 early-adopter reports made thread replies of 7,000+ characters.
  it('when many long changes wait together, then it lists the first ten, each cut short, and counts the rest', () => {
    const lines = Array.from(
      { length: 25 },
      (_, i) => md`${mention('U0ADOPT01')} reports: ${'x'.repeat(2000)} ${i}`,
    );

    const reply = threadReply(lines, 7);

    const shown = reply.text.split('\n');
    expect(shown).toHaveLength(THREAD_REPLY_LINES + 1);
    expect(shown.slice(0, -1).every((line) => line.length <= 300 && line.endsWith('…'))).toBe(true);
    expect(shown.at(-1)).toBe('…and 15 more; see `/cmd-status SUB-7`');
    expect(reply.text.length).toBeLessThan(3_400);
  });
});
