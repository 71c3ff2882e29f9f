/** The one place people's words are escaped for Slack, and the bot's own markup is written. */
import { describe, expect, it } from 'vitest';
import { decodeEntities, joinMd, link, Mrkdwn, md, mention, slackDate } from '../../src/mrkdwn.js';

describe('md', () => {
  it('when strings are put in, then &, < and > are escaped and the template is kept', () => {
    expect(md`*${'<!channel> & <@U1>'}* said ${3}`.markup).toBe(
      '*&lt;!channel&gt; &amp; &lt;@U1&gt;* said 3',
    );
  });

  it('when markup is put in, then it is kept as it is', () => {
    expect(md`by ${mention('U0123ABCD')}: ${md`*${'a<b'}*`}`.markup).toBe('by <@U0123ABCD>: *a&lt;b*');
  });

  it('when markup is put into a plain string by mistake, then it fails loudly instead of escaping twice', () => {
    expect(() => `${md`x`}`).toThrow(TypeError);
  });

  it('when joined, then the separator is the bot’s and the strings are escaped', () => {
    expect(joinMd(['<a>', md`*b*`], ', ').markup).toBe('&lt;a&gt;, *b*');
  });
});

describe('the bot’s own markup', () => {
  it('when a value is a Slack user id, then it becomes a mention; anything else shows as text', () => {
    expect(mention('U0123ABCD').markup).toBe('<@U0123ABCD>');
    expect(mention('U1> <!channel').markup).toBe('U1&gt; &lt;!channel');
    expect(mention('system').markup).toBe('cmd-bot');
    expect(mention('cli:alice<').markup).toBe('`alice&lt;` (CLI)');
  });

  it('when a link’s address holds |, > or &, then they cannot end it early or relabel it', () => {
    expect(link('https://x.org/a|install_the_fix>b&c', 'the notes').markup).toBe(
      '<https://x.org/a%7Cinstall_the_fix%3Eb&amp;c|the notes>',
    );
    // Not an address to link: shown as text.
    expect(link('https://x.org/a b', 'the notes').markup).toBe('the notes (https://x.org/a b)');
    expect(link('javascript:alert(1)', 'x').markup).toBe('x (javascript:alert(1))');
  });

  it('when a date is written, then it has a UTC fallback', () => {
    expect(slackDate(new Date('2027-03-01T09:00:00Z')).markup).toBe(
      '<!date^1803891600^{date_short_pretty} {time}|2027-03-01 09:00 UTC>',
    );
  });
});

describe('truncating markup', () => {
  it('when the cut falls inside an entity, then the whole entity goes', () => {
    const text = Mrkdwn.escape('abcd&efgh');
    expect(text.markup).toBe('abcd&amp;efgh');
    for (let max = 5; max <= 9; max++) expect(text.truncate(max).markup).toBe('abcd…');
  });

  it('when the cut falls inside a mention or link, then the whole of it goes', () => {
    const text = md`hello ${mention('U0123ABCD')} and more`;
    expect(text.truncate(12).markup).toBe('hello …');
    expect(text.truncate(19).markup).toBe('hello <@U0123ABCD>…');
  });

  it('when it fits, then it is unchanged', () => {
    const text = md`short`;
    expect(text.truncate(5)).toBe(text);
  });
});

describe('decoding', () => {
  it('when Slack’s three entities are decoded, then only those', () => {
    expect(decodeEntities('&amp;lt; &lt;b&gt; &quot;')).toBe('&lt; <b> &quot;');
  });
});
