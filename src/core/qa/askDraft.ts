/** A QA item as a question to ask: the Ask draft it corresponds to (the user's phrases and styles kept). */
import { EMPTY_DRAFT, filledOptions, phraseFor, type AskDraft, type DraftCheck } from '../agent/draft';
import { VP_PLACEHOLDER } from '../agent/prompts';
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

/**
 * An item whose visual prompt is an image (V2P-Bench ships each question's frame with the prompt
 * drawn): asked as it is, with no object of the video. The model is told the item's own paths,
 * as the reference client tells it the benchmark's. A `<vp>` in the question (rare in imported
 * items) takes the type's phrase.
 */
export function resolveImageItem(item: QaItem, base: Pick<AskDraft, 'phrases' | 'styles'>): DraftCheck {
  if (item.promptImage === null) return { ok: false, reason: 'The item has no prompt image.' };
  const draft = draftForItem(item, base);
  if (draft.question.trim() === '') return { ok: false, reason: 'The item has no question.' };
  const options = filledOptions(draft);
  if (draft.multipleChoice && options.length < 2) return { ok: false, reason: 'A multiple-choice question needs at least two options.' };
  const imagePath = item.promptImage.replace(/^frames\//, '');
  return {
    ok: true,
    ask: {
      instanceId: null,
      instanceName: item.framePath ?? imagePath,
      frame: item.frame ?? 0,
      options,
      sentQuestion: draft.question.trim().split(VP_PLACEHOLDER).join(phraseFor(draft, 1)),
      overlay: null,
      image: item.promptImage,
      paths: { videoPath: item.videoPath ?? item.videoId, framePath: item.framePath ?? imagePath },
    },
  };
}
