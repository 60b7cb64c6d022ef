/**
 * What the user is about to ask, and whether it can be asked: the question box, the options, and
 * how the instance is pointed out. Pure, so the Ask button's state and its reason are tested here.
 */
import { annotationKey, type AnnotationDoc } from '../annotation/model';
import type { VisualPromptOverlay } from '../visualPrompt/overlay';
import { VISUAL_PROMPT_TYPES, VP_PLACEHOLDER, vpPhrase, type VisualPromptType } from './prompts';
import { defaultPromptFrame } from './query';

export interface AskDraft {
  readonly question: string;
  readonly multipleChoice: boolean;
  /** Always four; only the filled ones are sent, lettered in order. */
  readonly options: readonly [string, string, string, string];
  readonly vpType: VisualPromptType;
  readonly colour: string;
  /** null: the current frame if the instance has a mask there, else the nearest one that has. */
  readonly frame: number | null;
  /** null: the active instance. */
  readonly instanceId: string | null;
  /** The user's own wording for a type's `<vp>` phrase (`{n}` is set_of_mark's number). */
  readonly phrases: Readonly<Partial<Record<VisualPromptType, string>>>;
  /** The types "Ask with every style" compares (all 8 unless the user picks a subset). */
  readonly styles: readonly VisualPromptType[];
}

export const EMPTY_DRAFT: AskDraft = {
  question: '',
  multipleChoice: false,
  options: ['', '', '', ''],
  vpType: 'rectangle',
  colour: '#ff2d2d',
  frame: null,
  instanceId: null,
  phrases: {},
  styles: VISUAL_PROMPT_TYPES,
};

/** The phrase `<vp>` becomes for this draft's type: the user's wording, else the protocol's. */
export function phraseFor(draft: AskDraft, n: number): string {
  const own = draft.phrases[draft.vpType]?.trim();
  if (own) return own.split('{n}').join(String(n));
  return vpPhrase(draft.vpType, n);
}

/** Everything needed to ask, resolved from the draft and the annotations. */
export interface ResolvedAsk {
  /** The instance asked about; null when the visual prompt is an image (a V2P-Bench item's frame). */
  readonly instanceId: string | null;
  readonly instanceName: string;
  /** The visual prompt frame (for an image prompt: the frame it shows, when known, else 0). */
  readonly frame: number;
  /** The filled options, in order. */
  readonly options: readonly string[];
  /** The question as sent: `<vp>` replaced, and nothing else changed. */
  readonly sentQuestion: string;
  /** The prompt drawn on `frame`; null for an image prompt. */
  readonly overlay: VisualPromptOverlay | null;
  /** The visual prompt as an image file of the project (a media key); null when drawn from `overlay`. */
  readonly image: string | null;
  /** The names the model is told (TOOL_PROMPT's video_path and frame_path): a dataset item's own; null: invented from the video. */
  readonly paths: { readonly videoPath: string; readonly framePath: string } | null;
}

export type DraftCheck = { readonly ok: true; readonly ask: ResolvedAsk } | { readonly ok: false; readonly reason: string };

/** The filled options; a blank one in the middle is skipped (letters follow the sent order). */
export function filledOptions(draft: AskDraft): string[] {
  return draft.multipleChoice ? draft.options.map((o) => o.trim()).filter((o) => o !== '') : [];
}

/**
 * The overlay for an instance on a frame. set_of_mark numbers every instance with a mask on that
 * frame 1..n in the instances' order (the target's number is the one the phrase names); the other
 * types draw the target alone.
 */
export function overlayFor(doc: AnnotationDoc, instanceId: string, frame: number, type: VisualPromptType, colour: string): { overlay: VisualPromptOverlay; number: number } | null {
  const own = doc.frames[annotationKey(instanceId, frame)]?.mask;
  if (!own) return null;
  if (type !== 'set_of_mark') return { overlay: { type, colour, targets: [{ rle: own.rle, number: 1 }] }, number: 1 };
  const marked = doc.instances.filter((i) => doc.frames[annotationKey(i.id, frame)]?.mask);
  const targets = marked.map((i, k) => ({ rle: doc.frames[annotationKey(i.id, frame)]!.mask!.rle, number: k + 1 }));
  return { overlay: { type, colour, targets }, number: marked.findIndex((i) => i.id === instanceId) + 1 };
}

/** Resolves the draft against the annotations, or says why it cannot be asked yet. */
export function checkDraft(draft: AskDraft, doc: AnnotationDoc, currentFrame: number): DraftCheck {
  const instanceId = draft.instanceId ?? doc.activeId;
  const instance = doc.instances.find((i) => i.id === instanceId);
  if (!instance) return { ok: false, reason: 'Add an object and segment it first (box or click it on the video).' };
  const frame = draft.frame ?? defaultPromptFrame(doc, instance.id, currentFrame);
  if (frame === null) return { ok: false, reason: `“${instance.name}” has no mask yet: box or click it on the video.` };
  const resolved = overlayFor(doc, instance.id, frame, draft.vpType, draft.colour);
  if (resolved === null) return { ok: false, reason: `“${instance.name}” has no mask on frame ${frame}.` };
  if (draft.question.trim() === '') return { ok: false, reason: 'Type a question.' };
  const options = filledOptions(draft);
  if (draft.multipleChoice && options.length < 2) return { ok: false, reason: 'A multiple-choice question needs at least two options.' };
  return {
    ok: true,
    ask: {
      instanceId: instance.id,
      instanceName: instance.name,
      frame,
      options,
      sentQuestion: draft.question.trim().split(VP_PLACEHOLDER).join(phraseFor(draft, resolved.number)),
      overlay: resolved.overlay,
      image: null,
      paths: null,
    },
  };
}

/** The draft under each chosen visual prompt type, in the protocol's order, for "Ask with every style". */
export function everyStyle(draft: AskDraft): AskDraft[] {
  return VISUAL_PROMPT_TYPES.filter((t) => draft.styles.includes(t)).map((vpType) => ({ ...draft, vpType }));
}
