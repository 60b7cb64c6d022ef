/** A QA item as a question to ask: the Ask draft it corresponds to (the user's phrases and styles kept). */
import { EMPTY_DRAFT, type AskDraft } from '../agent/draft';
import type { QaItem } from './model';

export function draftForItem(item: QaItem, base: Pick<AskDraft, 'phrases' | 'styles'>): AskDraft {
  return {
    ...EMPTY_DRAFT,
    phrases: base.phrases,
    styles: base.styles,
    question: item.question,
    multipleChoice: item.options.length > 0,
    options: [item.options[0] ?? '', item.options[1] ?? '', item.options[2] ?? '', item.options[3] ?? ''],
    vpType: item.vpType,
    colour: item.colour,
    frame: item.frame,
    instanceId: item.instanceId,
  };
}
