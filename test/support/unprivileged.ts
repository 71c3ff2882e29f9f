/**
 * File permissions bind every process but root's, which may write a read-only file (it holds the capabilities
 * CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH). A test that needs a database the process cannot write therefore
 * starts that process, when the tests run as root (as CI does), through util-linux's `setpriv` without those two
 * capabilities: still root, still able to read the checkout wherever it is (even under a 0700 /root), but bound
 * by the file's mode like anyone else. Run as another user, the tests start it as it is. Either way the refusal
 * comes from the file system, not from a switch in the code.
 */
import { chmodSync } from 'node:fs';

/** How to start a program so that file permissions bind it. */
export interface ProcessUser {
  launch(program: string, args: readonly string[]): [string, string[]];
}

const WITHOUT_OVERRIDE = '-dac_override,-dac_read_search';

export const UNPRIVILEGED: ProcessUser = {
  launch: (program, args) =>
    process.getuid?.() === 0
      ? [
          'setpriv',
          [`--bounding-set=${WITHOUT_OVERRIDE}`, `--inh-caps=${WITHOUT_OVERRIDE}`, program, ...args],
        ]
      : [program, [...args]],
};

/** Whom a process runs as when a test does not say: itself, with whatever it may do. */
export const AS_IS: ProcessUser = { launch: (program, args) => [program, [...args]] };

/**
 * Leaves `file` readable but not writable, in a folder its owner may still write (as the issue saw it: a
 * read-only file in a writable folder, where SQLite can still make its -wal and -shm files).
 */
export function makeReadOnly(file: string): void {
  chmodSync(file, 0o444);
}
