/**
 * Instances, their prompts per frame, and the masks Segment-Anything returns for them. Every
 * prompt change re-runs the decoder for that instance and frame (the encoder only the first time
 * a frame is prompted), feeding back the previous low-resolution mask.
 */
import type { StateCreator } from 'zustand';
import { annotationKey, nextInstance, toSamPrompt, type FrameAnnotation, type Instance, type Prompt } from '../../core/annotation/model';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export interface AnnotationSlice {
  annotation: {
    readonly instances: readonly Instance[];
    readonly activeId: string | null;
    /** By annotationKey(instance, frame). */
    readonly frames: Readonly<Record<string, FrameAnnotation>>;
    /** Keys whose mask is being computed. */
    readonly pending: readonly string[];
    readonly error: string | null;
  };
  addInstance(): string;
  setActiveInstance(id: string): void;
  addPrompt(prompt: Prompt): Promise<void>;
  clearPrompts(): void;
  dismissAnnotationError(): void;
}

let instanceCounter = 0;
const newId = (): string => `inst-${Date.now().toString(36)}-${(instanceCounter++).toString(36)}`;

export function createAnnotationSlice(deps: AppDeps): StateCreator<AppState, [], [], AnnotationSlice> {
  return (set, get) => {
    const patch = (p: Partial<AnnotationSlice['annotation']>): void => set((s) => ({ annotation: { ...s.annotation, ...p } }));
    const setFrame = (key: string, value: FrameAnnotation | null): void =>
      set((s) => {
        const frames =
          value === null
            ? Object.fromEntries(Object.entries(s.annotation.frames).filter(([k]) => k !== key))
            : { ...s.annotation.frames, [key]: value };
        return { annotation: { ...s.annotation, frames } };
      });
    /** Per key, the latest run wins: an older answer arriving late is dropped. */
    const runs = new Map<string, number>();

    const segment = async (instanceId: string, frame: number): Promise<void> => {
      const key = annotationKey(instanceId, frame);
      const run = (runs.get(key) ?? 0) + 1;
      runs.set(key, run);
      const prompts = get().annotation.frames[key]?.prompts ?? [];
      if (prompts.length === 0) {
        setFrame(key, null);
        return;
      }
      patch({ pending: [...new Set([...get().annotation.pending, key])], error: null });
      try {
        if (!(await get().loadModel())) throw new Error(`the segmentation model is not available (${get().model.error ?? 'unknown error'})`);
        const frameKey = `${get().video.sourceId}#${frame}`;
        const image = (await deps.segmenter.hasEmbedding(frameKey)) ? null : await get().grabFrame(frame);
        const result = await deps.segmenter.segment({ frameKey, image, prompt: toSamPrompt(prompts), refineKey: key });
        if (runs.get(key) !== run) return;
        const current = get().annotation.frames[key];
        if (current) setFrame(key, { prompts: current.prompts, mask: { rle: result.rle, score: result.score } });
      } catch (e) {
        if (runs.get(key) === run) patch({ error: `Segmentation failed: ${e instanceof Error ? e.message : String(e)}` });
      } finally {
        if (runs.get(key) === run) patch({ pending: get().annotation.pending.filter((k) => k !== key) });
      }
    };

    return {
      annotation: { instances: [], activeId: null, frames: {}, pending: [], error: null },

      addInstance() {
        const instance = nextInstance(get().annotation.instances, newId());
        patch({ instances: [...get().annotation.instances, instance], activeId: instance.id });
        return instance.id;
      },

      setActiveInstance(id) {
        if (get().annotation.instances.some((i) => i.id === id)) patch({ activeId: id });
      },

      async addPrompt(prompt) {
        if (get().video.info === null) return;
        const id = get().annotation.activeId ?? get().addInstance();
        const frame = get().video.frameIndex;
        const key = annotationKey(id, frame);
        const current = get().annotation.frames[key];
        setFrame(key, { prompts: [...(current?.prompts ?? []), prompt], mask: current?.mask ?? null });
        await segment(id, frame);
      },

      clearPrompts() {
        const id = get().annotation.activeId;
        if (id === null) return;
        const key = annotationKey(id, get().video.frameIndex);
        runs.set(key, (runs.get(key) ?? 0) + 1);
        setFrame(key, null);
      },

      dismissAnnotationError() {
        patch({ error: null });
      },
    };
  };
}
