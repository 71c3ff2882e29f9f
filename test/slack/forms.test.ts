/** Reading what people typed in a slash command, as Slack encodes it. */
import { describe, expect, it } from 'vitest';
import { commandArgument, parseOneLine } from '../../src/slack/forms.js';

describe('the one-line /cmd-submit', () => {
  // FIXED (src/slack/forms.ts, parseOneLine): Slack sends `&`, `<` and `>` typed in a command as `&amp;`,
  // `&lt;` and `&gt;`; `2.0&beta` was stored as `2.0&amp;beta`, shown double-escaped, and was not the same release
  // as the one from the form.
  it('when the text holds &, < and > as Slack encodes them, then each is read as the person typed it', () => {
    const parsed = parseOneLine('ARC&amp;Co 2.0&amp;beta&lt;1&gt; https://x.org/n pkg&amp;a');
    expect(parsed).toMatchObject({
      ok: true,
      raw: {
        product: 'ARC&Co',
        version: '2.0&beta<1>',
        releaseNotes: 'https://x.org/n',
        packages: ['pkg&a'],
      },
    });
  });

  it('when a link is wrapped by Slack with an escaped & in it, then the address is decoded once', () => {
    const parsed = parseOneLine('ARC 1.0 <https://x.org/n?a=1&amp;b=2|x.org/n> pkg');
    expect(parsed).toMatchObject({ ok: true, raw: { releaseNotes: 'https://x.org/n?a=1&b=2' } });
  });

  it('when a person typed an entity literally, then it is decoded only once', () => {
    // What Slack sends for a typed `&amp;` is `&amp;amp;`.
    const parsed = parseOneLine('ARC 2.0&amp;amp;x https://x.org/n?q=&amp;amp; pkg');
    expect(parsed).toMatchObject({
      ok: true,
      raw: { version: '2.0&amp;x', releaseNotes: 'https://x.org/n?q=&amp;' },
    });
  });
});

describe('a command argument', () => {
  it('when it holds Slack-encoded characters, then they are decoded and the ends trimmed', () => {
    expect(commandArgument('  A&amp;B &lt;tag&gt; ')).toBe('A&B <tag>');
  });
});
