/**
 * Why a database cannot be used, found when it is opened (and by the /healthz probe). Each has a stable `code`
 * for logs and scripts, and a message for the operator that names the file, the problem and what to do.
 */

export abstract class DatabaseUnusableError extends Error {
  abstract readonly code: string;
}

/** SQLite refused a write: the file (or its folder, where the -wal and -shm files live) is read-only. */
export class DatabaseNotWritableError extends DatabaseUnusableError {
  readonly code = 'DATABASE_NOT_WRITABLE';
  constructor(location: string, sqliteMessage: string, options?: ErrorOptions) {
    super(
      `DATABASE_PATH ${location} cannot be written (SQLite: ${sqliteMessage}); give the bot's user write ` +
        'permission on the file and its folder.',
      options,
    );
    this.name = 'DatabaseNotWritableError';
  }
}

/** The file records a migration this code does not carry: a newer cmd-bot has used it. */
export class DatabaseTooNewError extends DatabaseUnusableError {
  readonly code = 'DATABASE_TOO_NEW';
  constructor(location: string, migration: string) {
    super(
      `DATABASE_PATH ${location} was written by a newer cmd-bot (migration ${migration}); upgrade cmd-bot or ` +
        'restore a backup.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** A table or column the code uses is not in the file, although its migrations are recorded as applied. */
export class DatabaseSchemaMismatchError extends DatabaseUnusableError {
  readonly code = 'DATABASE_SCHEMA_MISMATCH';
  constructor(
    location: string,
    readonly missing: readonly string[],
  ) {
    super(
      `DATABASE_PATH ${location} differs from what this cmd-bot's migrations make (missing: ${missing.join(', ')}); ` +
        'it was changed outside cmd-bot, so restore a backup.',
    );
    this.name = 'DatabaseSchemaMismatchError';
  }
}
