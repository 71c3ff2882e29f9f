/** The limits of the process. Each open status starts at most one of them. */
export const CLOCK_KINDS = ['injection', 'unverified', 'verification', 'staged_rollout'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export const CLOCK_LABELS: { readonly [K in ClockKind]: string } = {
  injection: 'injection (working days)',
  unverified: 'Unverified',
  verification: 'Verification',
  staged_rollout: 'Staged Rollout',
};
