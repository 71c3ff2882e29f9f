import { describe, expect, it } from 'vitest';
import { csvField } from '../../src/cli/csv.js';

describe('csvField', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-3', "'-3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1+1', `"'\r=1+1"`],
    ['=HYPERLINK("https://evil.example/","Open")', `"'=HYPERLINK(""https://evil.example/"",""Open"")"`],
  ])(
    'when a cell begins with what a spreadsheet would evaluate (%j), then it is written as text',
    (value, written) => {
      expect(csvField(value)).toBe(written);
    },
  );

  it.each([
    ['6.21.1', '6.21.1'],
    ['2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z'],
    ['a=b', 'a=b'],
    ['', ''],
    ['say "hi", then go', '"say ""hi"", then go"'],
  ])('when a cell begins otherwise (%j), then it is written as before', (value, written) => {
    expect(csvField(value)).toBe(written);
  });
});
