/** Files the CLI reads besides descriptors (src/domain/umd5-descriptor.ts reads those). */

/** `--packages-file`: one package per line; blank lines and `#` comments are ignored. */
export function readPackageList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}
