import { describe, expect, it } from 'vitest';
import { md } from '../../../src/mrkdwn.js';
import { descriptorSubmittedText } from '../../../src/slack/blocks/descriptor.js';

const SUBMITTED = {
  product: { name: 'ARC' },
  submission: { id: 3, version: '6.20.1', platforms: ['al9/x86_64'], distribution: 'UMD-5' },
};

describe('descriptorSubmittedText', () => {
  it('when a descriptor earns many warnings, then the first 8 are listed, escaped, and the rest counted', () => {
    const warnings = Array.from({ length: 12 }, (_, i) => `"documentationLinks" holds "<!channel> ${i}"`);
    const text = descriptorSubmittedText(SUBMITTED, md` Follow it.`, warnings).markup;
    expect(text.split('\n')).toEqual([
      '*ARC 6.20.1* is submitted as *SUB-3* for al9/x86_64 (UMD-5). Follow it.',
      '',
      '*Please check the descriptor* (the UMD team sees this too):',
      ...warnings.slice(0, 8).map((_, i) => `• "documentationLinks" holds "&lt;!channel&gt; ${i}"`),
      '…and 4 more in `/cmd-status SUB-3`',
    ]);
  });

  it('when there are no warnings, then it says only what was submitted', () => {
    expect(descriptorSubmittedText(SUBMITTED, md``, []).markup).toBe(
      '*ARC 6.20.1* is submitted as *SUB-3* for al9/x86_64 (UMD-5).',
    );
  });
});
