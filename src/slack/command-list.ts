/**
 * Every slash command the app handles. The manifest declares the same list; a test fails when they differ.
 */
export const SLASH_COMMANDS = [
  {
    command: '/cmd-submit',
    description: 'Submit a product release for CMD/UMD provisioning',
    usageHint: 'PRODUCT VERSION URL PKG [PKG…] [platforms=p1,p2] [dist=D] [security]',
  },
  {
    command: '/cmd-status',
    description: 'Show the status, deadlines and history of a release',
    usageHint: 'SUB-12 | TKT-34 | PRODUCT',
  },
  {
    command: '/cmd-list',
    description: 'List releases and tickets',
    usageHint: '[status | delayed | mine]',
  },
  {
    command: '/cmd-product',
    description: 'Show a Product ID card (staff can create or edit one)',
    usageHint: 'NAME',
  },
  {
    command: '/cmd-report',
    description: 'The process report of a month, for the UMD team',
    usageHint: '[YYYY-MM]',
  },
  {
    command: '/cmd-release',
    description: 'Plan a numbered UMD/CMD release (staff) or see what goes into it',
    usageHint: 'new UMD-5.1.0 2027-03-15 [security] | show UMD-5.1.0',
  },
  {
    command: '/cmd-help',
    description: 'How to use cmd-bot',
    usageHint: '',
  },
] as const;

export type SlashCommand = (typeof SLASH_COMMANDS)[number]['command'];
