/**
 * Counts every HTTP attempt at Slack by method and outcome. It wraps `fetch`, which both the Web API client (the
 * outbox's and the staff directory's, and Bolt's for the listeners) and Bolt's `respond` take as an option: one
 * place sees every call, retries included, whichever client made it.
 */
import { type BotMetrics, SLACK_METHODS, type SlackCallOutcome, type SlackMethodLabel } from './index.js';

const KNOWN_METHODS: ReadonlySet<string> = new Set(SLACK_METHODS);
export const SLACK_API_URL = 'https://slack.com/api/';

/**
 * `fetch`, counting each call into `metrics`. A call under `apiUrl` is named by its Web API method; a file sent to
 * the upload address Slack gave (`…/upload/…`, see files.uploadV2) is `file_upload`; any other address the bot
 * posts to is a command's or click's `response_url`.
 */
export function countingFetch(
  metrics: BotMetrics,
  apiUrl: string = SLACK_API_URL,
  fetchFn: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const method = methodOf(String(input instanceof Request ? input.url : input), apiUrl);
    let response: Response;
    try {
      response = await fetchFn(input, init);
    } catch (error) {
      metrics.countSlackCall(method, 'no_answer');
      throw error;
    }
    metrics.countSlackCall(method, await outcomeOf(response));
    return response;
  };
}

export function methodOf(url: string, apiUrl: string): SlackMethodLabel {
  if (!url.startsWith(apiUrl))
    return /^[a-z]+:\/\/[^/]+\/upload\//i.test(url) ? 'file_upload' : 'response_url';
  const name = url.slice(apiUrl.length).split(/[?#/]/)[0] ?? '';
  return KNOWN_METHODS.has(name) && name !== 'response_url' ? (name as SlackMethodLabel) : 'other';
}

/**
 * Slack answers most errors with HTTP 200 and `ok: false`, so a JSON answer is read (from a copy: the caller
 * reads the original) before the call is counted, and counted before the caller sees it.
 */
async function outcomeOf(response: Response): Promise<SlackCallOutcome> {
  if (response.status === 429) return 'rate_limited';
  if (!response.ok) return 'http_error';
  if (!response.headers.get('content-type')?.includes('json')) return 'ok';
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  return typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === false
    ? 'slack_error'
    : 'ok';
}
