/** Catching what a use case throws, for tests that then look inside the error. */
import { expect } from 'vitest';

/** The error `work` throws, which must be a `kind`; the test fails if it throws nothing. */
export function caught<E extends Error>(kind: abstract new (...args: never[]) => E, work: () => unknown): E {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected a ${kind.name}`);
}
