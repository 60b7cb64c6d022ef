/**
 * Entry-name rules shared by the ZIP writer, the ZIP reader and the folder reader.
 *
 * A name from an archive or a picked folder ends up as a key in the imported data (and, for the
 * writer, as a path someone else's unzip tool will create), so it must not be able to point
 * outside the archive's root: no `..` segment, not absolute (leading `/` or a drive letter), and
 * `/` as the only separator (a backslash is a separator on Windows but a legal character
 * elsewhere, so an archive that contains one is ambiguous and refused).
 *
 * Local copy of the rule; core/formats/zipPaths.ts (`checkZipEntryName`) is meant to replace it.
 */

/** Why `name` is not an acceptable entry name, or `null` when it is. */
export function entryNameProblem(name: string): string | null {
  if (name.length === 0) return 'an entry has an empty name';
  if (name.includes('\0')) return `"${printable(name)}" contains a NUL character`;
  if (name.includes('\\')) return `"${printable(name)}" contains a backslash (only "/" may separate folders)`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `"${printable(name)}" is an absolute path`;
  if (name.split('/').includes('..')) return `"${printable(name)}" contains a ".." segment`;
  return null;
}

/**
 * Operating-system litter that pickers and archivers add on their own (macOS resource forks and
 * Finder files, Windows thumbnails). Skipped so that it neither counts against the limits nor
 * shows up as an unknown file.
 */
export function isSystemJunk(name: string): boolean {
  if (name.startsWith('__MACOSX/')) return true;
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini';
}

/** Names go into messages; keep them short and free of control characters. */
export function printable(name: string): string {
  const clean = Array.from(name, (c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? '?' : c)).join('');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
