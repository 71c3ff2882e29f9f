/**
 * File permissions bind every user but root, who may write a read-only file. A test that needs a database the
 * process cannot write therefore runs that process as `nobody` when the tests run as root (as CI does), and as
 * itself otherwise: either way the refusal comes from the file system, not from a switch in the code.
 */
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessUser {
  readonly uid?: number;
  readonly gid?: number;
}

const NOBODY = 65534;

/** Whom to spawn a process as, so that a file it may not write is one it cannot write. */
export const UNPRIVILEGED: ProcessUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};

/**
 * Leaves `file` readable but not writable, in a folder UNPRIVILEGED may write (as the issue saw it: a read-only
 * file in a writable folder, where SQLite can still make its -wal and -shm files).
 */
export function makeReadOnly(file: string): void {
  chmodSync(dirname(file), 0o777);
  chmodSync(file, 0o444);
}
