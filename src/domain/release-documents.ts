/**
 * A release's documents: its release notes (Markdown, for people) and, for EGI's repository front end, the
 * distribution document with one entry per product and one file per product, in the shapes of the front end's
 * real files (`distribution-CMD-OS-1.3.0.json`, `product-CMD-OS-1.3.0-ifca.caso1.4.0.json`). Pure.
 *
 * Each value comes from the release, its submissions, their UMD5 descriptors (when they came with one) and the
 * Product ID cards; where none of them says anything, the value is null, as in the real files. The front end's
 * own record numbers (`id`, `productId`, `distributionId`) are its to give: cmd-bot's would collide with them.
 */
import { DateTime } from 'luxon';
import type { ReportFacts } from './early-adopter-reports.js';
import { earlyAdopterKnownIssues } from './known-issues.js';
import { parseHttpLink } from './links.js';
import type { PlatformNames } from './platforms.js';
import { type QcResult, qcWarnings } from './quality-criteria.js';
import { formatReleaseName, type ReleaseState, releaseLabel, splitDistribution } from './releases.js';
import {
  descriptorFacts,
  distributionGpgKey,
  distributionRepositoryPath,
  isObject,
  isPlaceholderContact,
  repositoryPath,
  text,
} from './umd5-descriptor.js';

export interface ReleaseOfDocuments {
  readonly distribution: string;
  readonly version: string;
  /** YYYY-MM-DD. */
  readonly releaseDate: string;
  readonly security: boolean;
  readonly state: ReleaseState;
  readonly cutoffAt: Date;
  readonly createdAt: Date;
  readonly frozenAt: Date | null;
  /** What staff wrote in the release notes' form, replacing the drafted text; null: drafted from the data. */
  readonly description?: string | null;
  readonly installationNotes?: string | null;
  /** One known issue per line. */
  readonly knownIssues?: string | null;
}

/** One product release (a submission) in the release, with the tickets (platforms) of it the release holds. */
export interface ProductOfRelease {
  readonly card: {
    readonly name: string;
    readonly team: string | null;
    readonly supportEmail: string | null;
    readonly teamLeader: string | null;
    readonly description: string | null;
    readonly documentationLinks: readonly string[];
  };
  readonly submission: {
    readonly version: string;
    readonly releaseNotes: string;
    readonly security: boolean;
    readonly submittedAt: Date;
    /** The UMD5 descriptor it came with, every field as read; null for one typed in a form. */
    readonly descriptor: Readonly<Record<string, unknown>> | null;
  };
  readonly tickets: readonly {
    readonly platform: string;
    readonly packages: readonly string[];
    readonly qcResults: readonly QcResult[] | null;
    /** When it last changed (became Ready, for one in the release). */
    readonly changedAt: Date;
  }[];
  /** The early adopters' reports on those tickets. */
  readonly reports: readonly ReportFacts[];
}

export interface ReleaseDocumentsInput {
  readonly release: ReleaseOfDocuments;
  readonly products: readonly ProductOfRelease[];
  /** CMD_TIMEZONE: the front end's dates are local times. */
  readonly zone: string;
  readonly platforms: PlatformNames;
}

/** A target of a product in the distribution document, keys in the real file's order. */
export interface DistributionTarget {
  readonly id: null;
  readonly productId: null;
  readonly platform: string;
  readonly arch: string;
  readonly repositoryURL: string;
  readonly gpgkey: string | null;
  readonly rpms: readonly string[] | null;
  readonly apicallback: null;
  readonly status: number;
}

export interface DistributionProduct {
  readonly id: null;
  readonly name: string;
  readonly productName: string;
  readonly version: string;
  readonly majorVersion: number | null;
  readonly minorVersion: number | null;
  readonly revisionVersion: number | null;
  readonly distributionType: string;
  readonly distributionVersion: string;
  readonly description: string | null;
  readonly currentState: string;
  readonly contact: string | null;
  readonly technicalContact: string | null;
  readonly repositoryURL: string;
  readonly technologyProvider: string | null;
  readonly technologyProviderShortName: string | null;
  readonly releaseDate: string;
  readonly lastUpdated: string;
  readonly releaseNotes: string;
  readonly knownIssues: string | null;
  readonly changeLog: string | null;
  readonly additionalDetails: null;
  readonly installationNotes: string | null;
  /** A JSON list written as text, as the front end stores it. */
  readonly keywords: string;
  readonly apicallback: null;
  /** `{"documentationLink":{"link":…,"type":"other"}}` written as text, as the front end stores it. */
  readonly documentationLinks: string | null;
  readonly capabilities: readonly string[];
  readonly capability: string | null;
  readonly targets: readonly DistributionTarget[];
  readonly softwareConfigurationLink: string | null;
  readonly distributionId: null;
  readonly productId: null;
  readonly status: number;
}

export interface DistributionDocument {
  readonly id: null;
  readonly distributionType: string;
  readonly distributionVersion: string;
  readonly currentState: string;
  readonly majorVersion: number | null;
  readonly minorVersion: number | null;
  readonly revisionVersion: number | null;
  readonly releaseDate: string;
  readonly created: string;
  readonly lastUpdated: string;
  readonly description: string;
  readonly repositoryURL: string;
  /** HTML, escaped as the front end stores it. */
  readonly releaseNotes: string | null;
  readonly additionalDetails: null;
  readonly installationNotes: string | null;
  readonly contact: null;
  readonly technicalContact: null;
  /** HTML, escaped as the front end stores it. */
  readonly knownIssues: string | null;
  readonly changeLog: string | null;
  readonly products: readonly DistributionProduct[];
}

/** One product's own file, keys in the real file's order. */
export interface ProductDocument {
  readonly name: string;
  readonly version: string;
  readonly documentationLinks: readonly string[];
  readonly target: readonly {
    readonly platform: string;
    readonly arch: string;
    readonly repositoryURL: string;
    readonly gpgkey: string | null;
    readonly rpms: readonly string[];
  }[];
  readonly capabilities: readonly string[];
  readonly currentState: string;
  readonly technologyProvider: string | null;
  readonly contact: string | null;
  readonly technicalContact: string | null;
  readonly description: string | null;
  readonly releaseDate: string;
  readonly majorVersion: number | null;
  readonly minorVersion: number | null;
  readonly revisionVersion: number | null;
  readonly releaseNotes: string;
  readonly changeLog: string | null;
  readonly repositoryURL: string;
  readonly distributionType: string;
  readonly distributionVersion: string;
  readonly softwareConfigurationLink: string | null;
}

export interface ReleaseDocuments {
  /** `UMD-5.1.0`. */
  readonly name: string;
  /** "UMD 5.1.0". */
  readonly label: string;
  /** The known issues as plain lines (staff's, or drafted from the data): what the notes' form starts with. */
  readonly knownIssueLines: readonly string[];
  readonly releaseNotes: string;
  readonly distribution: DistributionDocument;
  readonly productFiles: readonly { readonly fileName: string; readonly product: ProductDocument }[];
}

/** `&`, `<`, `>`, `"` and `'` as entities: text from people inside HTML (or Markdown) stays text. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** People's text as one line, unable to open an HTML tag in Markdown. */
const mdText = (text: string) =>
  text.replace(/\s+/g, ' ').trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `6.21.1` → 6, 21, 1; a part that is missing or not a number is null. */
function versionNumbers(version: string): [number | null, number | null, number | null] {
  const parts = version.split(/[.-]/);
  const number = (part: string | undefined) =>
    part !== undefined && /^\d+$/.test(part) ? Number(part) : null;
  return [number(parts[0]), number(parts[1]), number(parts[2])];
}

/** The front end's dates: `YYYY-MM-DD HH:mm:ss`, local time. */
const frontEndTime = (at: Date, zone: string) =>
  DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

/** A published release is `deployed`, as the front end says; before that, the release's own state. */
const currentStateOf = (state: ReleaseState) => (state === 'published' ? 'deployed' : state);

const latest = (dates: readonly Date[]): Date => new Date(Math.max(...dates.map((date) => date.getTime())));

/** A contact the descriptor names, unless it is a placeholder (`NA`); else the card's. */
const realContact = (value: string | null, fallback: string | null) =>
  value !== null && !isPlaceholderContact(value) ? value : fallback;

/** Everything the documents say about one product release, drawn once. */
interface ProductFacts {
  readonly name: string;
  readonly version: string;
  readonly security: boolean;
  readonly numbers: [number | null, number | null, number | null];
  readonly platforms: readonly string[];
  readonly releaseNotes: string;
  readonly description: string | null;
  readonly contact: string | null;
  readonly technicalContact: string | null;
  readonly technologyProvider: string | null;
  readonly repositoryURL: string;
  readonly changeLog: string | null;
  readonly documentationLinks: readonly string[];
  readonly capabilities: readonly string[];
  readonly extraOSRepos: readonly string[];
  readonly softwareConfigurationLink: string | null;
  readonly lastUpdated: Date;
  readonly targets: readonly {
    readonly platform: string;
    readonly arch: string;
    readonly repositoryURL: string;
    readonly gpgkey: string | null;
    readonly rpms: readonly string[];
  }[];
  /** QC Warnings and early adopters' workarounds, each once. */
  readonly knownIssues: readonly string[];
}

function factsOf(product: ProductOfRelease, distribution: string, names: PlatformNames): ProductFacts {
  const { card, submission } = product;
  const raw = submission.descriptor;
  const facts = raw ? descriptorFacts(raw, names) : null;
  const rawTargets = raw && Array.isArray(raw.target) ? raw.target : [];
  const rpmsOf = (platform: string): readonly string[] | null => {
    const index = facts?.targets.findIndex((target) => target.platform === platform) ?? -1;
    const target: unknown = index >= 0 ? rawTargets.filter(isObject)[index] : undefined;
    const rpms = isObject(target) && Array.isArray(target.rpms) ? target.rpms : null;
    return rpms ? rpms.map(text).filter((rpm) => rpm !== null) : null;
  };
  const links = (facts?.documentationLinks ?? []).filter((link) => parseHttpLink(link) !== null);
  return {
    name: card.name,
    version: submission.version,
    security: submission.security,
    numbers: versionNumbers(submission.version),
    platforms: product.tickets.map((ticket) => ticket.platform),
    releaseNotes: submission.releaseNotes,
    description: facts?.description ?? card.description,
    contact: realContact(facts?.contact ?? null, card.supportEmail),
    technicalContact: realContact(facts?.technicalContact ?? null, card.teamLeader ?? card.supportEmail),
    technologyProvider: facts?.technologyProvider ?? card.team,
    repositoryURL: facts?.repositoryURL ?? distributionRepositoryPath(distribution),
    changeLog: facts?.changeLog ?? null,
    documentationLinks: links.length > 0 ? links : card.documentationLinks,
    capabilities: facts?.capabilities ?? [],
    extraOSRepos: facts?.extraOSRepos ?? [],
    softwareConfigurationLink: raw ? text(raw.softwareConfigurationLink) : null,
    lastUpdated: latest([submission.submittedAt, ...product.tickets.map((ticket) => ticket.changedAt)]),
    targets: product.tickets.map((ticket) => {
      const [platform = ticket.platform, arch = ''] = ticket.platform.split('/');
      const described = facts?.targets.find((target) => target.platform === ticket.platform);
      return {
        platform,
        arch,
        repositoryURL: described?.repositoryURL ?? repositoryPath(distribution, ticket.platform),
        gpgkey: described?.gpgkey ?? distributionGpgKey(distribution),
        rpms: rpmsOf(ticket.platform) ?? ticket.packages,
      };
    }),
    knownIssues: [
      ...new Set(product.tickets.flatMap((ticket) => qcWarnings(ticket.qcResults ?? []))),
      ...earlyAdopterKnownIssues(product.reports),
    ],
  };
}

/** Security releases first, then by name and version. */
function inReleaseOrder(a: ProductFacts, b: ProductFacts): number {
  if (a.security !== b.security) return a.security ? -1 : 1;
  const byName = a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
  return byName !== 0 ? byName : a.version.localeCompare(b.version, 'en', { numeric: true });
}

const titleOf = (product: ProductFacts) =>
  `${product.name} ${product.version}${product.security ? ' (security)' : ''}`;

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** HTML as the front end stores it: escaped once more, so that its own decoding gives the HTML back. */
const forFrontEnd = (html: string) => escapeHtml(html).replace(/&#39;/g, "'");

/** A link when it is one, else the text; people's text escaped either way. */
function htmlLink(value: string): string {
  const url = parseHttpLink(value);
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(value.trim());
}

function releaseNotesHtml(label: string, products: readonly ProductFacts[]): string | null {
  if (products.length === 0) return null;
  const items = products.map(
    (product) =>
      `<li>${escapeHtml(titleOf(product))} for ${escapeHtml(product.platforms.join(', '))} - release notes: ${htmlLink(product.releaseNotes)}</li>`,
  );
  return forFrontEnd(`${escapeHtml(label)} contains the following products: <br><ul>${items.join('')}</ul>`);
}

function knownIssuesHtml(lines: readonly string[]): string | null {
  if (lines.length === 0) return null;
  return forFrontEnd(`<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`);
}

/** `{"documentationLink":{"link":…,"type":"other"}}` for one link; a list of them under the same key for more. */
function documentationLinksText(links: readonly string[]): string | null {
  const entries = links.map((link) => ({ link, type: 'other' }));
  if (entries.length === 0) return null;
  return JSON.stringify({ documentationLink: entries.length === 1 ? entries[0] : entries });
}

/** `NorduGrid` → `NORDUGRID`, as the front end abbreviates one-word providers; a longer name has none. */
function shortNameOf(provider: string | null): string | null {
  return provider !== null && /^\S+$/.test(provider) ? provider.toUpperCase() : null;
}

const installationNoteOf = (product: ProductFacts) =>
  product.extraOSRepos.length > 0
    ? `${product.name} ${product.version} needs these OS repositories enabled: ${product.extraOSRepos.join(', ')}.`
    : null;

const productFileName = (release: string, product: ProductFacts) =>
  `product-${release}-${`${product.name}${product.version}`.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;

function releaseNotesMarkdown(
  release: ReleaseOfDocuments,
  products: readonly ProductFacts[],
  zone: string,
): string {
  const label = releaseLabel(release);
  const local = (at: Date) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');
  const status: Record<ReleaseState, string> = {
    planned: `Planned: the products Ready now. Its contents freeze at the cut-off, ${local(release.cutoffAt)} (${zone}).`,
    frozen: `Frozen${release.frozenAt ? ` on ${local(release.frozenAt)} (${zone})` : ''}: these are its contents.`,
    published: 'Published.',
    cancelled: 'Cancelled: it will not be published.',
  };
  const productLines = products.map((product) => {
    const url = parseHttpLink(product.releaseNotes);
    const link = url
      ? `[release notes](${mdText(url).replace(/\(/g, '%28').replace(/\)/g, '%29')})`
      : `release notes: ${mdText(product.releaseNotes)}`;
    return `- **${mdText(`${product.name} ${product.version}`)}**${product.security ? ' (security)' : ''} — ${mdText(product.platforms.join(', '))} — ${link}`;
  });
  const withIssues = products.filter((product) => product.knownIssues.length > 0);
  return [
    `# ${label}`,
    '',
    `Release date: ${release.releaseDate}${release.security ? ' (security release)' : ''}`,
    '',
    status[release.state],
    '',
    ...(release.description ? [mdText(release.description), ''] : []),
    '## Products',
    '',
    ...(productLines.length > 0 ? productLines : ['None yet.']),
    '',
    ...(release.installationNotes
      ? ['## Installation notes', '', mdText(release.installationNotes), '']
      : []),
    '## Known issues',
    '',
    ...(release.knownIssues != null
      ? [...releaseKnownIssues(release, []).map((issue) => `- ${mdText(issue)}`), '']
      : withIssues.length > 0
        ? withIssues.flatMap((product) => [
            `### ${mdText(`${product.name} ${product.version}`)}`,
            '',
            ...product.knownIssues.map((issue) => `- ${mdText(issue)}`),
            '',
          ])
        : ['None known.', '']),
  ].join('\n');
}

/** The release's known issues: as staff wrote them (a line each), else each product's, drafted from the data. */
function releaseKnownIssues(release: ReleaseOfDocuments, products: readonly ProductFacts[]): string[] {
  if (release.knownIssues != null) {
    return release.knownIssues
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }
  return products.flatMap((product) => product.knownIssues.map((issue) => `${titleOf(product)}: ${issue}`));
}

/** The release notes, the distribution document and the product files of a release. */
export function releaseDocuments(input: ReleaseDocumentsInput): ReleaseDocuments {
  const { release, zone } = input;
  const name = formatReleaseName(release);
  const label = releaseLabel(release);
  const products = input.products
    .filter((product) => product.tickets.length > 0)
    .map((product) => factsOf(product, release.distribution, input.platforms))
    .sort(inReleaseOrder);
  const { type } = splitDistribution(release.distribution);
  const numbers = versionNumbers(release.version);
  const state = currentStateOf(release.state);
  const releaseDate = `${release.releaseDate} 00:00:00`;
  const platforms = [...new Set(products.flatMap((product) => product.platforms))];
  const kind = release.security
    ? 'a security release'
    : numbers[1] === 0 && numbers[2] === 0
      ? 'a base release'
      : 'an update';

  const entries = products.map((product): DistributionProduct => {
    const [majorVersion, minorVersion, revisionVersion] = product.numbers;
    return {
      id: null,
      name: product.name,
      productName: product.name,
      version: product.version,
      majorVersion,
      minorVersion,
      revisionVersion,
      distributionType: type,
      distributionVersion: release.version,
      description: product.description,
      currentState: state,
      contact: product.contact,
      technicalContact: product.technicalContact,
      repositoryURL: product.repositoryURL,
      technologyProvider: product.technologyProvider,
      technologyProviderShortName: shortNameOf(product.technologyProvider),
      releaseDate,
      lastUpdated: frontEndTime(product.lastUpdated, zone),
      releaseNotes: product.releaseNotes,
      knownIssues: knownIssuesHtml(product.knownIssues),
      changeLog: product.changeLog,
      additionalDetails: null,
      installationNotes: installationNoteOf(product),
      keywords: '[]',
      apicallback: null,
      documentationLinks: documentationLinksText(product.documentationLinks),
      capabilities: product.capabilities,
      capability: product.capabilities[0] ?? null,
      targets: product.targets.map((target) => ({
        id: null,
        productId: null,
        ...target,
        apicallback: null,
        status: 1,
      })),
      softwareConfigurationLink: product.softwareConfigurationLink,
      distributionId: null,
      productId: null,
      status: 1,
    };
  });

  const installationNotes = products.map(installationNoteOf).filter((note) => note !== null);
  const distribution: DistributionDocument = {
    id: null,
    distributionType: type,
    distributionVersion: release.version,
    currentState: state,
    majorVersion: numbers[0],
    minorVersion: numbers[1],
    revisionVersion: numbers[2],
    releaseDate,
    created: frontEndTime(release.createdAt, zone),
    lastUpdated: frontEndTime(
      latest([
        release.createdAt,
        ...(release.frozenAt ? [release.frozenAt] : []),
        ...products.map((product) => product.lastUpdated),
      ]),
      zone,
    ),
    description:
      release.description ??
      `${label} is ${kind} of ${type} ${numbers[0] ?? ''}.${
        platforms.length > 0 ? ` It includes updates for ${listed(platforms)}.` : ''
      }`,
    repositoryURL: distributionRepositoryPath(release.distribution),
    releaseNotes: releaseNotesHtml(label, products),
    additionalDetails: null,
    installationNotes:
      release.installationNotes ??
      (products.length > 0
        ? [
            `All products in ${label} were verified against EGI's Quality Criteria.`,
            ...installationNotes,
          ].join(' ')
        : null),
    contact: null,
    technicalContact: null,
    knownIssues: knownIssuesHtml(releaseKnownIssues(release, products)),
    changeLog:
      products.length > 0
        ? `This release adds ${listed(products.map((product) => `${titleOf(product)} for ${listed(product.platforms)}`))}.`
        : null,
    products: entries,
  };

  const productFiles = products.map((product) => {
    const [majorVersion, minorVersion, revisionVersion] = product.numbers;
    return {
      fileName: productFileName(name, product),
      product: {
        name: product.name,
        version: product.version,
        documentationLinks: product.documentationLinks,
        target: product.targets,
        capabilities: product.capabilities,
        currentState: state,
        technologyProvider: product.technologyProvider,
        contact: product.contact,
        technicalContact: product.technicalContact,
        description: product.description,
        releaseDate,
        majorVersion,
        minorVersion,
        revisionVersion,
        releaseNotes: product.releaseNotes,
        changeLog: product.changeLog,
        repositoryURL: product.repositoryURL,
        distributionType: type,
        distributionVersion: release.version,
        softwareConfigurationLink: product.softwareConfigurationLink,
      } satisfies ProductDocument,
    };
  });

  return {
    name,
    label,
    knownIssueLines: releaseKnownIssues(release, products),
    releaseNotes: releaseNotesMarkdown(release, products, zone),
    distribution,
    productFiles,
  };
}
