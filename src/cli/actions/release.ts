/** What `cmd-bot release create`, `release show` and `release export` do. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { FORECAST_LABELS, formatReleaseName, releaseLabel } from '../../domain/releases.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import {
  cancelRelease,
  changeReleaseContents,
  createRelease,
  getRelease,
  getReleaseDocuments,
  publishRelease,
  type ReleaseView,
  type TicketOnItsWay,
} from '../../services/index.js';
import type {
  ReleaseChangeOptions,
  ReleaseCreateOptions,
  ReleaseExportOptions,
  ReleaseShowOptions,
} from '../commands/release.js';
import { bothTimes, indent, table, utcTime } from '../format.js';
import { CliFailure, out, printJson, say, write } from '../io.js';
import { callerFor, withReadOnlyRuntime, withRuntime } from '../runtime.js';

export async function runReleaseCreate(name: string, options: ReleaseCreateOptions): Promise<void> {
  await withRuntime(({ ctx, timeZone }) => {
    const release = createRelease(
      ctx,
      { name, date: options.date, security: options.security ?? false },
      callerFor(options.by),
    );
    out(formatReleaseName(release));
    say(
      `Planned ${releaseLabel(release)}${release.security ? ' (security)' : ''} for ${release.releaseDate}; ` +
        `its contents freeze ${bothTimes(release.cutoffAt, timeZone)}.`,
    );
  });
}

function releaseJson(view: ReleaseView) {
  const item = (c: TicketOnItsWay) => ({
    ticket: formatTicketId(c.ticket.id),
    submission: formatSubmissionId(c.submission.id),
    product: c.product.name,
    version: c.submission.version,
    platform: c.ticket.platform,
    status: c.ticket.state.status,
    deadline: c.ticket.state.deadline?.toISOString() ?? null,
    security: c.submission.security,
    forecast: c.forecast.kind,
    ...('latest' in c.forecast ? { readyBy: c.forecast.latest.toISOString() } : {}),
    ...(c.byHand ? { byHand: c.byHand } : {}),
  });
  const { release } = view;
  return {
    name: formatReleaseName(release),
    distribution: release.distribution,
    version: release.version,
    releaseDate: release.releaseDate,
    security: release.security,
    state: release.state,
    cutoffAt: release.cutoffAt.toISOString(),
    frozenAt: release.frozenAt?.toISOString() ?? null,
    candidates: view.candidates.map(item),
    onTheWay: view.onTheWay.map(item),
    takenOut: view.takenOut.map(item),
    securityItems: [...view.candidates, ...view.onTheWay].filter((c) => c.submission.security).map(item),
  };
}

export async function runReleaseShow(name: string, options: ReleaseShowOptions): Promise<void> {
  await withReadOnlyRuntime(({ ctx, timeZone }) => {
    const view = getRelease(ctx, name);
    if (options.json) {
      printJson(releaseJson(view));
      return;
    }
    const { release } = view;
    const rows = (items: readonly TicketOnItsWay[]) =>
      indent(
        table(
          ['TICKET', 'PRODUCT', 'VERSION', 'PLATFORM', 'STATUS', 'DEADLINE (UTC)', 'FORECAST'],
          items.map((c) => [
            `${formatTicketId(c.ticket.id)}${c.submission.security ? ' (security)' : ''}`,
            c.product.name,
            c.submission.version,
            c.ticket.platform,
            TICKET_TABLE[c.ticket.state.status].label,
            utcTime(c.ticket.state.deadline),
            c.byHand
              ? `by hand (${c.byHand.by}): ${c.byHand.reason ?? ''}`
              : FORECAST_LABELS[c.forecast.kind],
          ]),
        ),
      );
    out(
      [
        `${releaseLabel(release)}${release.security ? ' (security)' : ''}: ${release.state}, release date ${release.releaseDate}`,
        `cut-off: ${bothTimes(release.cutoffAt, timeZone)}`,
        '',
        release.state === 'planned' ? 'Candidates (Ready now)' : 'In the release',
        view.candidates.length > 0 ? rows(view.candidates) : '  none',
        ...(release.state === 'planned'
          ? ['', 'On their way', view.onTheWay.length > 0 ? rows(view.onTheWay) : '  none']
          : []),
        ...(view.takenOut.length > 0
          ? ['', 'Taken out by hand (they slip at the freeze)', rows(view.takenOut)]
          : []),
      ].join('\n'),
    );
  });
}

export async function runReleasePublish(name: string, options: ReleaseChangeOptions): Promise<void> {
  await withRuntime(({ ctx }) => {
    const published = publishRelease(ctx, name, { notesUrl: options.notes ?? null }, callerFor(options.by));
    out(formatReleaseName(published.release));
    say(
      `Published ${releaseLabel(published.release)}: ${published.released.length} ticket(s) Released` +
        `${published.skipped.length > 0 ? `; left out, no longer Ready: ${published.skipped.map(formatTicketId).join(', ')}` : ''}.`,
    );
  });
}

export async function runReleaseCancel(name: string, options: ReleaseChangeOptions): Promise<void> {
  await withRuntime(({ ctx }) => {
    const release = cancelRelease(ctx, name, options.reason ?? '', callerFor(options.by));
    say(`Cancelled ${releaseLabel(release)}; its tickets go to the next planned release.`);
  });
}

export async function runReleaseChange(
  name: string,
  ticketId: number,
  change: 'add' | 'remove',
  options: ReleaseChangeOptions,
): Promise<void> {
  await withRuntime(({ ctx }) => {
    const release = changeReleaseContents(
      ctx,
      { name, ticketId, change, reason: options.reason ?? '' },
      callerFor(options.by),
    );
    say(
      `${change === 'add' ? 'Added' : 'Took'} ${formatTicketId(ticketId)} ${change === 'add' ? 'to' : 'out of'} ${releaseLabel(release)}.`,
    );
  });
}

export async function runReleaseExport(name: string, options: ReleaseExportOptions): Promise<void> {
  const dir = options.productsDir;
  if (dir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory())) {
    throw new CliFailure(`${dir} is not a directory; create it, or give another with --products-dir.`);
  }
  await withReadOnlyRuntime(({ ctx }) => {
    const documents = getReleaseDocuments(ctx, name);
    if (options.format === 'json') printJson(documents.distribution);
    else write(documents.releaseNotes);
    const count = documents.productFiles.length;
    if (count === 0) say(`${documents.name} holds no products yet.`);
    if (dir === undefined) return;
    for (const file of documents.productFiles) {
      const path = join(dir, file.fileName);
      writeFileSync(path, `${JSON.stringify(file.product, null, 2)}\n`);
      say(path);
    }
    say(`Wrote ${count} product file${count === 1 ? '' : 's'} of ${documents.name} to ${dir}.`);
  });
}
