/**
 * A ticket taken along its moves as staff take it, for tests that need one further on: Start verification, then
 * Verification passed with every quality criterion OK, then Ready for release. Each step expects the version the
 * one before it left (a freshly injected ticket is version 1).
 */
import {
  type Caller,
  markReady,
  passVerification,
  type ServiceContext,
  startVerification,
} from '../../src/services/index.js';
import { STAFF } from './database.js';
import { QC_ALL_OK } from './qc.js';

export const QC_REPORT_URL = 'https://qc.example.org/r';

/** From Unverified (version 1) to Staged Rollout (version 3). */
export function toStagedRollout(ctx: ServiceContext, ticketId: number, caller: Caller = STAFF): void {
  startVerification(ctx, ticketId, { expectedVersion: 1 }, caller);
  passVerification(ctx, ticketId, { expectedVersion: 2, reportUrl: QC_REPORT_URL, qc: QC_ALL_OK }, caller);
}

/** From Unverified (version 1) to Ready (version 4). */
export function toReady(ctx: ServiceContext, ticketId: number, caller: Caller = STAFF): void {
  toStagedRollout(ctx, ticketId, caller);
  markReady(ctx, ticketId, { expectedVersion: 3 }, caller);
}
