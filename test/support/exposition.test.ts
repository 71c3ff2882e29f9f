import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from './exposition.js';

describe('the test reader of the exposition format', () => {
  it('when prom-client writes a labelled counter with escapes, then it reads back the same values', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'x_total',
      help: 'a "help" text',
      labelNames: ['a'],
      registers: [registry],
    });
    counter.inc({ a: 'quote " backslash \\ line\nend' }, 3);

    const read = parseExposition(await registry.metrics());

    expect(read.type.get('x_total')).toBe('counter');
    expect(sampleValue(read, 'x_total', { a: 'quote " backslash \\ line\nend' })).toBe(3);
  });

  it('when a value is NaN as prom-client writes it (Nan), then it reads as NaN, as Prometheus does', () => {
    expect(sampleValue(parseExposition('# TYPE x gauge\nx Nan\n'), 'x')).toBeNaN();
  });

  it.each([
    ['a sample without its TYPE', 'x 1\n'],
    ['a sample with an unquoted label', '# TYPE x gauge\nx{a=b} 1\n'],
    ['a value that is no number', '# TYPE x gauge\nx 1,5\n'],
    ['a comment that is neither HELP nor TYPE', '# TYPE x gauge\n# hello\nx 1\n'],
    ['no line feed at the end', '# TYPE x gauge\nx 1'],
  ])('when given %s, then it throws', (_, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
