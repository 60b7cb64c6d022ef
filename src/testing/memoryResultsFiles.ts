/**
 * The results-file port in memory, for store tests (imported only by *.test.ts): files by name
 * with their text, what the user picks in the save dialog, appends that can be held (to see what
 * goes together while one is on its way) or made to fail (a file deleted or a full disk).
 */
import type { ResultsFiles, ResultsFileSink } from '../core/review/resultsFile';

export class MemoryResultsFiles implements ResultsFiles<Blob> {
  /** The files' contents by name. */
  readonly files = new Map<string, string>();
  /** What the next dialogs answer: a name, or null for Cancel; the suggested name when empty. */
  readonly picks: (string | null)[] = [];
  /** What each open was offered: the suggested name and the mode. */
  readonly offered: { name: string; mode: 'new' | 'add' }[] = [];
  /** Appends, in order: the file and the text. */
  readonly appends: { name: string; text: string }[] = [];
  /** Files whose appends reject with this error from now on. */
  readonly failing = new Map<string, Error>();
  readonly closed: string[] = [];
  /** While on, appends wait for `release`. */
  hold = false;
  private readonly waiting: (() => void)[] = [];

  get held(): number {
    return this.waiting.length;
  }

  release(): void {
    for (const go of this.waiting.splice(0)) go();
  }

  /** The file's lines, each parsed. */
  lines(name: string): Record<string, unknown>[] {
    const text = this.files.get(name) ?? '';
    return text === '' ? [] : text.replace(/\n$/, '').split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async open(suggestedName: string, mode: 'new' | 'add'): Promise<ResultsFileSink<Blob> | null> {
    this.offered.push({ name: suggestedName, mode });
    const name = this.picks.length > 0 ? this.picks.shift()! : suggestedName;
    if (name === null) return null;
    if (mode === 'new' || !this.files.has(name)) this.files.set(name, '');
    const text = this.files.get(name)!;
    return {
      name,
      existing: mode === 'add' && text !== '' ? new Blob([text]) : null,
      append: async (chunk) => {
        if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
        const failure = this.failing.get(name);
        if (failure) throw failure;
        this.files.set(name, (this.files.get(name) ?? '') + chunk);
        this.appends.push({ name, text: chunk });
      },
      close: async () => {
        this.closed.push(name);
      },
    };
  }
}
