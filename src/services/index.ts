/**
 * The use cases, one transaction each. The CLI and the Slack app call exactly these; neither holds a business
 * rule of its own.
 */
export { checkDelays, type DelayCheckResult } from './checker/index.js';
export {
  type Caller,
  type Clock,
  createServiceContext,
  type ServiceContext,
  systemClock,
} from './context.js';
export {
  type EarlyAdopterReportInput,
  REPORTS_PER_MINUTE,
  recordEarlyAdopterReport,
} from './early-adopters.js';
export {
  AppError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  RefusedError,
} from './errors.js';
export { type HomeItem, type ProviderHome, providerHome, type StaffHome, staffHome } from './home.js';
export {
  findProduct,
  getProduct,
  getProducts,
  type ImportResult,
  importProducts,
  productsCallerMaySubmit,
  registerProduct,
  updateProduct,
} from './products.js';
export {
  exportAll,
  exportDescriptors,
  getStatus,
  getSubmissionView,
  type ListRow,
  latestOfProduct,
  listItems,
  reportableRelease,
  type SubmissionView,
} from './queries.js';
export {
  getReleaseDocuments,
  type ReleaseNotesText,
  releaseNotesText,
  saveReleaseNotes,
} from './release-documents.js';
export {
  cancelRelease,
  changeReleaseContents,
  createRelease,
  type FrozenRelease,
  freezeDueReleases,
  getRelease,
  type NewReleaseInput,
  type PublishedRelease,
  publishRelease,
  type ReleaseSummary,
  type ReleaseView,
  type TicketOnItsWay,
  upcomingReleases,
} from './releases.js';
export {
  CHART_MONTHS,
  type ChartedReport,
  chartedReport,
  type DelayCount,
  type DelayGroup,
  daysWindow,
  delayGroupLabel,
  type MonthFigures,
  type MonthWindow,
  monthReport,
  monthsEndingWith,
  monthsOf,
  monthWindow,
  NOT_EXPLAINED,
  type OverdueStay,
  type ProcessReport,
  type ProductFigures,
  processReport,
  type ReportWindow,
  reportDays,
  reportPercent,
  STAGE_LABELS,
  type StageFigures,
  windowDays,
} from './reports/index.js';
export {
  type AnyMove,
  type MovedSubject,
  type Precheck,
  performMove,
  precheckMove,
  reject,
  requestCardRefresh,
  resume,
  waitForProvider,
} from './subject-moves.js';
export {
  type DescriptorInput,
  type DescriptorSubmitResult,
  type InjectResult,
  inject,
  moveSubmission,
  type SubmitInput,
  type SubmitResult,
  submit,
  submitDescriptor,
} from './submissions.js';
export {
  explainDelay,
  failVerification,
  type MoveOutcome,
  markReady,
  moveTicket,
  passVerification,
  startVerification,
  supersede,
} from './tickets.js';
