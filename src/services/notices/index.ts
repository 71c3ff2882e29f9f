/** Who hears what, when, and what it says: see kinds.ts and README.md beside this file. */
export { combineNotices } from './combine.js';
export {
  announcementKey,
  holdOf,
  missingContactWarning,
  type NoticeToSend,
  noticesAttempted,
  noticesOfTicketMove,
  noticesSent,
  noticeToSend,
  type Recipient,
} from './kinds.js';
export {
  cardUpdate,
  type NoticeBatch,
  outboxRowsFor,
  recipientsOf,
  submissionChangeKey,
  ticketChangeKey,
} from './queue.js';
export {
  COMBINED_LISTED,
  clause,
  combinedNoticeText,
  releaseTitle,
  ticketNoticeText,
  ticketTitle,
} from './texts.js';
