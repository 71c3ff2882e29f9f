/**
 * Socket Mode against a Web API other than Slack's. The Socket Mode client opens its connection with
 * `apps.connections.open`, and Bolt gives that client no Web API options, so the call goes to slack.com whatever
 * SLACK_API_URL says; Bolt does pass it an undici dispatcher. With SLACK_API_URL set (a proxy, or the fake Slack
 * of this project's tests), this dispatcher sends Slack's API calls there; everything else, the WebSocket
 * included, goes where it was addressed.
 */
import { Agent, type Dispatcher } from 'undici';

const SLACK_API = { origin: 'https://slack.com', path: '/api/' } as const;

export function webApiDispatcher(apiUrl: string): Dispatcher {
  const target = new URL(apiUrl);
  const targetPath = target.pathname.endsWith('/') ? target.pathname : `${target.pathname}/`;
  return new Agent().compose((dispatch) => (options, handler) => {
    const origin = options.origin === undefined ? '' : new URL(String(options.origin)).origin;
    if (origin !== SLACK_API.origin || !options.path.startsWith(SLACK_API.path))
      return dispatch(options, handler);
    return dispatch(
      { ...options, origin: target.origin, path: targetPath + options.path.slice(SLACK_API.path.length) },
      handler,
    );
  });
}
