/**
 * The item side of a result: a project's QA item as the model is asked it, the benchmark's folded
 * question text (how results files write it and how they are matched), and whether it is
 * multiple choice.
 */
import { MC_PROMPT, OPTION_LETTERS, questionWithOptions, VP_PLACEHOLDER } from '../agent/prompts';
import type { QaItem } from '../qa/model';
import type { ResultItem } from './run';

export interface ResultItemContext {
  /** What replaces `<vp>` for this item (the type's phrase or the user's own). */
  readonly phrase: (item: QaItem) => string;
  /** The duration in seconds of the item's own video, for items made here (they carry none). */
  readonly duration: number | null;
}

export function resultItemFromQa(item: QaItem, ctx: ResultItemContext): ResultItem {
  let phrase: string | null = null;
  const fill = (text: string): string => {
    if (!text.includes(VP_PLACEHOLDER)) return text;
    phrase ??= ctx.phrase(item);
    return text.split(VP_PLACEHOLDER).join(phrase);
  };
  return {
    videoId: item.videoId,
    question: fill(item.question),
    options: item.options.map(fill),
    answer: item.answer,
    dimension: item.dimension,
    category: item.category,
    duration: item.duration ?? ctx.duration,
    source: item.source,
    vpType: item.vpType,
    videoPath: item.videoPath,
    framePath: item.framePath,
  };
}

/** The question as V2P-Bench writes it: options folded in as "A: ..." lines and the instruction after. */
export function foldedQuestion(item: Pick<ResultItem, 'question' | 'options'>): string {
  return questionWithOptions(item.question, item.options) + (item.options.length > 0 ? MC_PROMPT : '');
}

/** Multiple choice: at least two options and a letter among them as the answer. */
export function isMultipleChoice(item: Pick<ResultItem, 'options' | 'answer'>): boolean {
  if (item.options.length < 2) return false;
  const i = OPTION_LETTERS.indexOf(item.answer.trim().toUpperCase() as (typeof OPTION_LETTERS)[number]);
  return i >= 0 && i < item.options.length;
}
