/** Maps the process columns shared by submissions and tickets to and from the domain's clocked state. */
import type { ClockedState } from '../../domain/machine.js';

export interface ProcessColumns {
  status: string;
  stateVersion: number;
  enteredAt: Date;
  deadline: Date | null;
  pausedMs: number;
  waitingFrom: string | null;
  reason: string | null;
  lastChangedBy: string | null;
  lastEvent: string | null;
  lastChangedAt: Date | null;
}

export function toClockedState<S extends string, E extends string>(
  row: ProcessColumns,
): ClockedState<S, E> & { reason: string | null } {
  const status = row.status as S;
  return {
    status,
    version: row.stateVersion,
    enteredAt: row.enteredAt,
    deadline: row.deadline,
    pausedMs: row.pausedMs,
    waitingFrom: row.waitingFrom as S | null,
    reason: row.reason,
    lastChange:
      row.lastChangedBy && row.lastEvent && row.lastChangedAt
        ? { by: row.lastChangedBy, event: row.lastEvent as E, to: status, at: row.lastChangedAt }
        : null,
  };
}

/** The process columns, as the keys a statement writes (statements.ts). */
export const PROCESS_COLUMNS = [
  'status',
  'stateVersion',
  'enteredAt',
  'deadline',
  'pausedMs',
  'waitingFrom',
  'reason',
  'lastChangedBy',
  'lastEvent',
  'lastChangedAt',
] as const satisfies readonly (keyof ProcessColumns)[];

export function fromClockedState<S extends string, E extends string>(
  state: ClockedState<S, E> & { reason: string | null },
): ProcessColumns {
  return {
    status: state.status,
    stateVersion: state.version,
    enteredAt: state.enteredAt,
    deadline: state.deadline,
    pausedMs: state.pausedMs,
    waitingFrom: state.waitingFrom,
    reason: state.reason,
    lastChangedBy: state.lastChange?.by ?? null,
    lastEvent: state.lastChange?.event ?? null,
    lastChangedAt: state.lastChange?.at ?? null,
  };
}
