/**
 * A UMD5 descriptor someone uploaded to Slack (in the /cmd-submit form, or in a direct message to the bot),
 * fetched with the bot's token (`files:read`). Slack's answer is not trusted blindly: the token is only sent to
 * Slack's own file host (or the API's, for a proxy or the tests), the file must be JSON and small, and the whole
 * fetch has a deadline, as a form must be answered within Slack's 3 seconds.
 */
import type { WebClient } from '@slack/web-api';

/** Real descriptors are a few kB; one with 2,000 rpm URLs per platform stays well under this. */
const DESCRIPTOR_MAX_BYTES = 1024 * 1024;

export type FetchedDescriptor =
  | { readonly ok: true; readonly name: string; readonly json: string }
  | { readonly ok: false; readonly message: string };

interface SlackFile {
  readonly name?: string;
  readonly filetype?: string;
  readonly size?: number;
  readonly url_private_download?: string;
  readonly url_private?: string;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

const refused = (message: string): FetchedDescriptor => ({ ok: false, message });

/** Where the token may go: Slack's file hosts, or the host the Web API itself is reached at. */
function mayCarryToken(url: URL, client: WebClient): boolean {
  if (
    url.protocol === 'https:' &&
    (url.hostname === 'files.slack.com' || url.hostname.endsWith('.slack.com'))
  ) {
    return true;
  }
  return url.origin === new URL(client.slackApiUrl).origin;
}

async function readCapped(response: Response, max: number): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The uploaded file `fileId`, as text, or a sentence that says what to do instead. */
export async function fetchDescriptorFile(
  client: WebClient,
  fileId: string,
  options: { readonly timeoutMs: number },
): Promise<FetchedDescriptor> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const late = refused('Slack took too long to hand the file over. Submit the form again.');
  try {
    const info = (await Promise.race([
      client.files.info({ file: fileId }),
      new Promise<never>((_, reject) => deadline.addEventListener('abort', () => reject(deadline.reason))),
    ])) as { file?: SlackFile };
    const file = info.file ?? {};
    const name = file.name ?? 'descriptor.json';
    if (!/\.json$/i.test(name) && file.filetype !== 'json') {
      return refused(`${name} is not a .json file: upload the UMD5 descriptor, such as arc-6.20.1-el9.json.`);
    }
    if ((file.size ?? 0) > DESCRIPTOR_MAX_BYTES) {
      return refused(
        `${name} is larger than 1 MB, far more than a UMD5 descriptor: check that it is the right file.`,
      );
    }
    const link = file.url_private_download ?? file.url_private;
    const url = link ? parseUrl(link) : null;
    if (!url || !client.token || !mayCarryToken(url, client)) {
      return refused('Slack did not say where to fetch the file from. Upload it again.');
    }
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${client.token}` },
      // A redirect is Slack's login page (the token was not accepted): never follow it with the token.
      redirect: 'manual',
      signal: deadline,
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || type.startsWith('text/html')) {
      await response.body?.cancel();
      return refused(
        'Slack would not hand the file over to cmd-bot (is the files:read scope granted?). Ask the UMD team.',
      );
    }
    const json = await readCapped(response, DESCRIPTOR_MAX_BYTES);
    if (json === null) {
      return refused(
        `${name} is larger than 1 MB, far more than a UMD5 descriptor: check that it is the right file.`,
      );
    }
    return { ok: true, name, json };
  } catch (error) {
    if (deadline.aborted) return late;
    const code = (error as { data?: { error?: string } }).data?.error;
    return refused(
      code === 'file_not_found'
        ? 'The uploaded file is gone from Slack. Upload it again.'
        : 'cmd-bot could not fetch the file from Slack. Try again in a minute.',
    );
  }
}
