/**
 * Errors a use case reports to its caller. Each has a stable `code` for logs and scripts and a message written
 * for the person who asked: what went wrong and what to do instead.
 */
import type { Refusal } from '../domain/machine.js';

export abstract class AppError extends Error {
  abstract readonly code: string;
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class InvalidInputError extends AppError {
  readonly code = 'INVALID_INPUT';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((problem) => problem.message).join('\n'));
    this.name = 'InvalidInputError';
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The person sent too much too fast (early-adopter reports); nothing was stored. */
export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(message: string) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** The process said no (wrong role, wrong status, outdated view, missing reason). It was recorded. */
export class RefusedError extends AppError {
  readonly code: string;
  constructor(readonly refusal: Refusal<string, string>) {
    super(refusal.message);
    this.name = 'RefusedError';
    this.code = `REFUSED_${refusal.kind.toUpperCase()}`;
  }
}
