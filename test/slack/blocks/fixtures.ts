/**
 * Literal inputs for the Block Kit snapshot tests: a product card, submissions, tickets in several states,
 * reports and history, with fixed ids and dates, built without a database so that the snapshots are the same on
 * every machine and the tests take milliseconds. Hostile text (pings, a disguised link, `&`) sits in the places
 * people fill in, so the snapshots show it escaped.
 */
import type { HistoryEntry } from '../../../src/db/repositories/audit.js';
import type { EarlyAdopterReport } from '../../../src/db/repositories/early-adopter-reports.js';
import type { Submission } from '../../../src/db/repositories/submissions.js';
import type { Ticket } from '../../../src/db/repositories/tickets.js';
import type { ProductCard } from '../../../src/domain/product.js';
import type { SubmissionState } from '../../../src/domain/submission-machine.js';
import type { TicketState, TicketStatus } from '../../../src/domain/ticket-machine.js';
import type { SubmissionView } from '../../../src/services/queries.js';

export const at = (iso: string): Date => new Date(iso);

/** People and channels, as Slack ids. */
export const STAFF = 'U0STAFF01';
export const CONTACT = 'U0CONTACT1';
export const ADOPTER = 'U0ADOPT01';
export const OTHER_ADOPTER = 'U0ADOPT02';

/** What a person could type to ping everyone or disguise a link. */
export const HOSTILE_NAME = 'Bits & <!channel> Pieces';
export const HOSTILE_TEXT = 'ping <!here> & see <https://evil.example|the fix>';

export const SUBMITTED_AT = at('2027-03-01T09:00:00Z');
export const INJECTED_AT = at('2027-03-03T10:00:00Z');

export function productCard(fields: Partial<ProductCard> = {}): ProductCard {
  return {
    id: 1,
    name: 'ARC',
    team: 'NorduGrid',
    supportEmail: 'arc-support@example.org',
    website: 'https://www.nordugrid.org',
    teamLeader: 'Jane Doe',
    description: 'ARC Compute Element and clients.',
    repositoryUrl: 'https://github.com/nordugrid/arc',
    documentationLinks: ['https://www.nordugrid.org/documents/'],
    contacts: [CONTACT, 'U0CONTACT2'],
    contactChannel: 'C0456EFGH',
    earlyAdopterSites: ['SITE-A', 'SITE-B'],
    platforms: ['el9/x86_64', 'el8/x86_64'],
    ...fields,
  };
}

export const ARC = productCard();
export const HOSTILE_PRODUCT = productCard({
  id: 2,
  name: HOSTILE_NAME,
  team: 'R&D <@U0EVIL99>',
  contacts: [],
  contactChannel: null,
  earlyAdopterSites: [],
});

export function submissionState(
  status: SubmissionState['status'],
  fields: Partial<SubmissionState> = {},
): SubmissionState {
  return {
    status,
    version: 1,
    enteredAt: SUBMITTED_AT,
    deadline: null,
    pausedMs: 0,
    waitingFrom: null,
    lastChange: null,
    reason: null,
    ...fields,
  };
}

const ARC_PACKAGES = ['nordugrid-arc-6.21.1', 'nordugrid-arc-client-6.21.1', 'nordugrid-arc-plugins-6.21.1'];

export function submission(fields: Partial<Submission> = {}): Submission {
  return {
    id: 12,
    productId: 1,
    version: '6.21.1',
    releaseNotes: 'https://www.nordugrid.org/arc/releases/6.21.1/?notes=1&lang=en',
    distribution: 'UMD-5',
    security: false,
    submittedBy: CONTACT,
    submittedAt: SUBMITTED_AT,
    comment: null,
    platforms: ['el9/x86_64', 'el8/x86_64'],
    packagesByPlatform: { 'el9/x86_64': ARC_PACKAGES, 'el8/x86_64': ARC_PACKAGES },
    injectionOverdueAt: null,
    rolloutAnnouncedAt: null,
    descriptor: null,
    descriptorWarnings: [],
    state: submissionState('open', { deadline: at('2027-03-08T09:00:00Z') }),
    ...fields,
  };
}

export function ticketState(status: TicketStatus, fields: Partial<TicketState> = {}): TicketState {
  return {
    status,
    version: 1,
    enteredAt: INJECTED_AT,
    deadline: null,
    pausedMs: 0,
    waitingFrom: null,
    lastChange: null,
    delayedFrom: null,
    delayExplanation: null,
    reason: null,
    verificationReportUrl: null,
    stagedRolloutReportUrl: null,
    ...fields,
  };
}

export function ticket(
  id: number,
  platform: string,
  state: TicketState,
  fields: Partial<Ticket> = {},
): Ticket {
  return {
    id,
    submissionId: 12,
    platform,
    assignee: null,
    packages: [`nordugrid-arc-6.21.1.${platform.split('/')[0]}`],
    createdAt: INJECTED_AT,
    announcedIn: null,
    delayNoticeSentAt: null,
    qcResults: null,
    readyWithoutWorksReport: false,
    state,
    ...fields,
  };
}

export function report(
  id: number,
  ticketId: number,
  fields: Partial<EarlyAdopterReport> = {},
): EarlyAdopterReport {
  return {
    id,
    ticketId,
    reporter: ADOPTER,
    site: 'SITE-A',
    platform: 'el10/x86_64',
    outcome: 'works',
    details: null,
    installKind: null,
    upgradedFrom: null,
    tested: null,
    workaround: null,
    at: at('2027-03-20T12:00:00Z'),
    listedSite: true,
    ...fields,
  };
}

const INJECTED_PLATFORMS = ['el9/x86_64', 'el8/x86_64', 'el8/aarch64', 'el10/x86_64', 'ubuntu24/amd64'];

/** The tickets of an injected submission, one in each state worth seeing. */
export const TICKETS: readonly Ticket[] = [
  ticket(31, 'el9/x86_64', ticketState('unverified', { version: 1, deadline: at('2027-04-03T10:00:00Z') }), {
    assignee: STAFF,
  }),
  ticket(
    32,
    'el8/x86_64',
    ticketState('delayed', {
      version: 4,
      enteredAt: at('2027-03-15T10:00:00Z'),
      deadline: at('2027-03-15T10:00:00Z'),
      delayedFrom: 'verification',
      delayExplanation: 'Testbed unavailable: the el8 testbed is down until 12 April <!channel>.',
    }),
  ),
  ticket(
    33,
    'el8/aarch64',
    ticketState('waiting_for_provider', {
      version: 3,
      enteredAt: at('2027-03-05T10:00:00Z'),
      deadline: at('2027-04-03T10:00:00Z'),
      waitingFrom: 'unverified',
      reason: 'a signed build of nordugrid-arc-client for aarch64',
    }),
  ),
  ticket(
    34,
    'el10/x86_64',
    ticketState('staged_rollout', {
      version: 3,
      enteredAt: at('2027-03-10T10:00:00Z'),
      deadline: at('2027-04-10T10:00:00Z'),
      verificationReportUrl: 'https://ci.example.org/report?run=7&platform=el10',
    }),
    { assignee: STAFF },
  ),
  ticket(
    35,
    'ubuntu24/amd64',
    ticketState('rejected', {
      version: 3,
      enteredAt: at('2027-03-09T10:00:00Z'),
      reason: 'Breaks the gridftp plugin on Ubuntu 24.04.',
      verificationReportUrl: 'https://ci.example.org/report?run=6',
    }),
  ),
];

/** Reports on TKT-34 (in staged rollout): one works, one problem, one from a site not on the card. */
export const REPORTS: readonly EarlyAdopterReport[] = [
  report(1, 34),
  report(2, 34, {
    reporter: OTHER_ADOPTER,
    site: 'SITE-B',
    outcome: 'problem',
    details: `arc-client segfaults on submit; workaround: downgrade. ${HOSTILE_TEXT}`,
    at: at('2027-03-21T08:30:00Z'),
  }),
  report(3, 34, {
    reporter: 'U0ADOPT03',
    site: 'SITE-Z',
    listedSite: false,
    details: 'Fine on 40 worker nodes.',
    at: at('2027-03-22T16:45:00Z'),
  }),
];

const history = (
  id: number,
  subject: string,
  event: string,
  iso: string,
  fields: Partial<HistoryEntry> = {},
): HistoryEntry & { readonly subject: string } => {
  const [kind, number] = subject.split('-');
  return {
    id,
    subjectType: kind === 'SUB' ? 'submission' : 'ticket',
    subjectId: Number(number),
    event,
    fromStatus: null,
    toStatus: null,
    actor: STAFF,
    reason: null,
    at: at(iso),
    subject,
    ...fields,
  };
};

export const HISTORY: SubmissionView['history'] = [
  history(1, 'SUB-12', 'submit', '2027-03-01T09:00:00Z', { actor: CONTACT, toStatus: 'open' }),
  history(2, 'SUB-12', 'inject', '2027-03-03T10:00:00Z', { fromStatus: 'open', toStatus: 'solved' }),
  history(3, 'TKT-33', 'wait_for_provider', '2027-03-05T10:00:00Z', {
    fromStatus: 'unverified',
    toStatus: 'waiting_for_provider',
    reason: 'a signed build of nordugrid-arc-client for aarch64',
  }),
  history(4, 'TKT-35', 'reject', '2027-03-09T10:00:00Z', {
    fromStatus: 'verification',
    toStatus: 'rejected',
    reason: 'Breaks the gridftp plugin on Ubuntu 24.04.',
  }),
  history(5, 'TKT-34', 'pass_verification', '2027-03-10T10:00:00Z', {
    fromStatus: 'verification',
    toStatus: 'staged_rollout',
  }),
  history(6, 'TKT-32', 'delay', '2027-03-15T10:00:00Z', {
    actor: 'system',
    fromStatus: 'verification',
    toStatus: 'delayed',
  }),
  history(7, 'TKT-32', 'explain_delay', '2027-03-16T08:00:00Z', {
    actor: 'cli:jdoe',
    fromStatus: 'delayed',
    toStatus: 'delayed',
    reason: `Testbed unavailable: ${HOSTILE_TEXT}`,
  }),
];

/** An open submission, as a contact sent it, with a comment that tries to ping and disguise a link. */
export const OPEN_VIEW: SubmissionView = {
  submission: submission({ comment: `Please inject before Friday: ${HOSTILE_TEXT}` }),
  product: ARC,
  tickets: [],
  reports: [],
  descriptor: null,
  history: HISTORY.slice(0, 1),
};

/** Injected on five platforms (packages differ by platform), its tickets in several states, with reports. */
export const INJECTED_VIEW: SubmissionView = {
  submission: submission({
    platforms: INJECTED_PLATFORMS,
    packagesByPlatform: Object.fromEntries(
      INJECTED_PLATFORMS.map((platform) => [platform, [`nordugrid-arc-6.21.1.${platform.split('/')[0]}`]]),
    ),
    state: submissionState('solved', { version: 2, enteredAt: INJECTED_AT }),
  }),
  product: ARC,
  tickets: TICKETS,
  reports: REPORTS,
  descriptor: null,
  history: HISTORY,
};

/** A security release of a product whose name holds a ping and an `&`. */
export const SECURITY_VIEW: SubmissionView = {
  submission: submission({
    id: 13,
    productId: 2,
    version: '2.0.0-rc1',
    security: true,
    releaseNotes: 'https://bits.example.org/advisories/2027-01',
    packagesByPlatform: { 'el9/x86_64': ['bits-2.0.0'] },
    platforms: ['el9/x86_64'],
  }),
  product: HOSTILE_PRODUCT,
  tickets: [],
  reports: [],
  descriptor: null,
  history: [],
};

interface Text {
  readonly text: string;
}
interface Element {
  readonly type: string;
  /** A button's label, or a context element's own text. */
  readonly text?: Text | string;
  readonly style?: string;
  readonly options?: readonly { readonly text: Text; readonly value: string }[];
  readonly initial_options?: readonly { readonly value: string }[];
  readonly initial_option?: { readonly value: string };
  readonly initial_value?: string;
  readonly initial_users?: readonly string[];
  readonly initial_conversation?: string;
  readonly placeholder?: Text;
  readonly multiline?: boolean;
  readonly max_length?: number;
}
interface AnyBlock {
  readonly type: string;
  readonly block_id?: string;
  readonly text?: Text;
  readonly label?: Text;
  readonly optional?: boolean;
  readonly hint?: Text;
  readonly elements?: readonly Element[];
  readonly element?: Element;
}

const textOf = (text: Text | string | undefined): string =>
  typeof text === 'string' ? text : (text?.text ?? '');

function describeElement(element: Element): string {
  const parts: string[] = [element.type];
  if (element.multiline) parts.push('multiline');
  if (element.max_length !== undefined) parts.push(`max ${element.max_length}`);
  if (element.placeholder) parts.push(`placeholder "${element.placeholder.text}"`);
  if (element.initial_value !== undefined) parts.push(`= "${element.initial_value}"`);
  if (element.options) {
    const chosen = new Set([
      ...(element.initial_options ?? []).map((o) => o.value),
      ...(element.initial_option ? [element.initial_option.value] : []),
    ]);
    parts.push(
      `[${element.options.map((o) => `${chosen.has(o.value) ? '*' : ''}${o.text.text}${o.text.text === o.value ? '' : `=${o.value}`}`).join(', ')}]`,
    );
  }
  if (element.initial_users) parts.push(`= ${element.initial_users.join(', ')}`);
  if (element.initial_conversation) parts.push(`= ${element.initial_conversation}`);
  return parts.join(' ');
}

/**
 * A block list a line per block, for the variants of a message whose whole form another test snapshots: what
 * each block says, each button with its style, each input with its field name, label and element (`*` marks an
 * option chosen to start with).
 */
export function outline(blocks: readonly unknown[] | undefined): string[] {
  return ((blocks ?? []) as readonly AnyBlock[]).map((block) => {
    switch (block.type) {
      case 'divider':
        return 'divider';
      case 'actions':
        return `actions${block.block_id ? ` ${block.block_id}` : ''}: ${(block.elements ?? [])
          .map((e) => `[${textOf(e.text) || e.type}${e.style ? ` (${e.style})` : ''}]`)
          .join(' ')}`;
      case 'context':
        return `context: ${(block.elements ?? []).map((e) => textOf(e.text)).join(' ')}`;
      case 'input':
        return `input ${block.block_id} "${block.label?.text}"${block.optional ? ' (optional)' : ''}: ${block.element ? describeElement(block.element) : ''}${block.hint ? ` — hint "${block.hint.text}"` : ''}`;
      default:
        return `${block.type}: ${block.text?.text ?? ''}`;
    }
  });
}
