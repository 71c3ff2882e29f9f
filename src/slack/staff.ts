/**
 * Who the UMD staff are: the configured user ids plus the members of a user group. The group is read in the
 * background (at start-up, hourly, and when Slack says its members changed) so that no click waits on it.
 * With no staff configured nobody can move anything: the list never "fails open".
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logging.js';

export type StaffAnswer = 'staff' | 'not_staff' | 'unknown';

export interface StaffDirectory {
  /** `unknown` when the user group could not be read yet and the user is not listed by id. */
  check(userId: string): StaffAnswer;
  refresh(): Promise<void>;
  /** Resolves when no read of the group is under way (a read asked for while one ran included). */
  settled(): Promise<void>;
  /** Anyone configured at all? */
  readonly configured: boolean;
  stop(): void;
}

const HOUR = 3_600_000;

export function createStaffDirectory(options: {
  readonly userIds: readonly string[];
  readonly usergroupId: string | undefined;
  readonly client: webApi.WebClient;
  readonly logger: Logger;
  readonly refreshEveryMs?: number;
}): StaffDirectory {
  const listed = new Set(options.userIds);
  let groupMembers: Set<string> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;

  let readAgain = false;
  const refresh = async (): Promise<void> => {
    if (!options.usergroupId) return;
    if (inFlight) {
      // The group changed again while it was being read: read it once more when this read ends.
      readAgain = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        const result = await options.client.usergroups.users.list({
          usergroup: options.usergroupId as string,
        });
        groupMembers = new Set(result.users ?? []);
        options.logger.info(
          { usergroup: options.usergroupId, members: groupMembers.size },
          'staff user group loaded',
        );
      } catch (error) {
        // Keep the last good list: a passing Slack error must not lock staff out, nor let others in.
        options.logger.warn(
          { err: error, usergroup: options.usergroupId },
          'could not read the staff user group',
        );
      } finally {
        inFlight = null;
      }
      if (readAgain) {
        readAgain = false;
        await refresh();
      }
    })();
    return inFlight;
  };

  if (options.usergroupId) {
    timer = setInterval(() => void refresh(), options.refreshEveryMs ?? HOUR);
    timer.unref();
  }

  return {
    configured: listed.size > 0 || options.usergroupId !== undefined,
    check(userId) {
      if (listed.has(userId) || groupMembers?.has(userId)) return 'staff';
      if (options.usergroupId && groupMembers === null) return 'unknown';
      return 'not_staff';
    },
    refresh,
    settled: async () => {
      await inFlight;
    },
    stop: () => clearInterval(timer),
  };
}
