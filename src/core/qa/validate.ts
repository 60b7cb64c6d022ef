/**
 * What is wrong with a QA item, as sentences for the item's row and the export dialog. An empty
 * list means the item can be exported as is. Drafts are allowed to be incomplete (an empty answer
 * while writing), so nothing here refuses an edit: the problems are shown, and export reports them.
 */
import { MC_PROMPT, OPTION_LETTERS } from '../agent/prompts';
import { isKnownDimension } from './dimensions';
import type { QaItem } from './model';

/** The letters of an item's options: ["A", "B", "C"] for three options. */
export function optionLetters(count: number): readonly string[] {
  return OPTION_LETTERS.slice(0, Math.max(0, Math.min(count, OPTION_LETTERS.length)));
}

export function isMultipleChoice(item: Pick<QaItem, 'options'>): boolean {
  return item.options.length > 0;
}

/**
 * Problems of `item`, in field order. Checked:
 * - question: not blank; contains no MC instruction of its own (export adds it);
 * - multiple choice (any option): 2 to 4 options, none blank, none with a line break (options are
 *   folded into the question one per line, so a line break would split an option on import), and
 *   an answer that is the letter of one of them;
 * - open-ended (no options): an answer that is not blank (allowed while drafting, but reported);
 * - dimension: null or one of the 12 benchmark codes; category: null or an integer >= 0;
 * - frame: null or an integer >= 0; duration: null or a finite number >= 0.
 */
export function checkQaItem(item: QaItem): string[] {
  const problems: string[] = [];
  if (item.question.trim() === '') problems.push('The question is empty.');
  if (item.question.includes(MC_PROMPT.trim())) problems.push('The question contains the multiple-choice instruction; export adds it, remove it from the question.');
  const n = item.options.length;
  if (n > 0) {
    if (n < 2) problems.push(`A multiple-choice question needs at least 2 options, it has ${n}.`);
    if (n > OPTION_LETTERS.length) problems.push(`At most ${OPTION_LETTERS.length} options (A-D), it has ${n}.`);
    const letters = optionLetters(n);
    item.options.forEach((option, i) => {
      const letter = OPTION_LETTERS[i] ?? `#${i + 1}`;
      if (option.trim() === '') problems.push(`Option ${letter} is empty.`);
      if (/[\r\n]/.test(option)) problems.push(`Option ${letter} contains a line break.`);
    });
    if (item.answer === '') problems.push(`The answer is not set: pick one of ${letters.join(', ')}.`);
    else if (!letters.includes(item.answer)) problems.push(`The answer "${item.answer}" is not one of the option letters ${letters.join(', ')}.`);
  } else if (item.answer.trim() === '') {
    problems.push('The answer is empty.');
  }
  if (item.dimension !== null && !isKnownDimension(item.dimension)) problems.push(`Dimension ${item.dimension} is not a V2P-Bench dimension code.`);
  if (item.category !== null && (!Number.isSafeInteger(item.category) || item.category < 0)) problems.push(`Category ${item.category} is not an integer >= 0.`);
  if (item.frame !== null && (!Number.isSafeInteger(item.frame) || item.frame < 0)) problems.push(`Frame ${item.frame} is not a frame number.`);
  if (item.duration !== null && (!Number.isFinite(item.duration) || item.duration < 0)) problems.push(`Duration ${item.duration} is not a number of seconds >= 0.`);
  return problems;
}
