/**
 * Instances, their prompts per frame, and the masks Segment-Anything returns for them, with
 * undo/redo of every edit. A prompt change re-runs the decoder for that instance and frame (the
 * encoder only the first time a frame is prompted), feeding back the prediction of the prompts
 * before it. Masks arrive asynchronously and are written into the present state without becoming
 * an undo step of their own.
 */
import type { StateCreator } from 'zustand';
import { commit, createHistory, redo, replacePresent, undo, type History } from '../../core/annotation/history';
import {
  EMPTY_ANNOTATIONS,
  annotationKey,
  nextInstance,
  refinementKey,
  toSamPrompt,
  withFrame,
  withoutInstance,
  type AnnotationDoc,
  type Instance,
  type Prompt,
} from '../../core/annotation/model';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export interface AnnotationSlice {
  annotation: {
    readonly history: History<AnnotationDoc>;
    /** Keys (annotationKey) whose mask is being computed. */
    readonly pending: readonly string[];
    readonly error: string | null;
    /** The prompt picked with the select tool (not part of undo history). */
    readonly selection: { readonly key: string; readonly index: number } | null;
  };
  selectPrompt(selection: { key: string; index: number } | null): void;
  updatePrompt(key: string, index: number, prompt: Prompt): Promise<void>;
  deleteSelectedPrompt(): Promise<void>;
  addInstance(): string;
  setActiveInstance(id: string): void;
  renameInstance(id: string, name: string): void;
  setInstanceVisible(id: string, visible: boolean): void;
  deleteInstance(id: string): void;
  addPrompt(prompt: Prompt): Promise<void>;
  clearPrompts(): void;
  undo(): void;
  redo(): void;
  dismissAnnotationError(): void;
  /**
   * Encodes the shown frame in the background so the first prompt on it only waits for the
   * decoder (called when a prompt tool is active and the frame stays put).
   */
  prepareFrame(): Promise<void>;
  /** Replaces everything (opening a project): a fresh history that starts at `doc`. */
  /** Replaces the annotations (another project or video); `history` restores its undo steps when kept. */
  loadAnnotations(doc: AnnotationDoc, history?: History<AnnotationDoc>): void;
  /** Replaces the annotations as one undoable edit (e.g. imported masks). */
  replaceAnnotations(doc: AnnotationDoc): void;
}

const splitKey = (key: string): [string, number] => {
  const at = key.lastIndexOf('@');
  return [key.slice(0, at), Number(key.slice(at + 1))];
};

let instanceCounter = 0;
const newId = (): string => `inst-${Date.now().toString(36)}-${(instanceCounter++).toString(36)}`;

export function createAnnotationSlice(deps: AppDeps): StateCreator<AppState, [], [], AnnotationSlice> {
  return (set, get) => {
    const patch = (p: Partial<AnnotationSlice['annotation']>): void => set((s) => ({ annotation: { ...s.annotation, ...p } }));
    const doc = (): AnnotationDoc => get().annotation.history.present;
    const edit = (next: AnnotationDoc): void => patch({ history: commit(get().annotation.history, next) });
    const setPending = (key: string, on: boolean): void => {
      const rest = get().annotation.pending.filter((k) => k !== key);
      patch({ pending: on ? [...rest, key] : rest });
    };

    const segment = async (instanceId: string, frame: number): Promise<void> => {
      const key = annotationKey(instanceId, frame);
      const entry = doc().frames[key];
      if (!entry || entry.prompts.length === 0) return;
      const prompts = entry.prompts;
      setPending(key, true);
      patch({ error: null });
      try {
        if (!(await get().loadModel())) throw new Error(`the segmentation model is not available (${get().model.error ?? 'unknown error'})`);
        const frameKey = `${get().video.sourceId}#${frame}`;
        const image = (await deps.segmenter.hasEmbedding(frameKey)) ? null : await get().grabFrame(frame);
        const result = await deps.segmenter.segment({
          frameKey,
          image,
          prompt: toSamPrompt(prompts),
          refineFrom: prompts.length > 1 ? refinementKey(instanceId, frame, prompts.slice(0, -1)) : null,
          storeAs: refinementKey(instanceId, frame, prompts),
        });
        // Written only if these prompts are still the ones on screen (no later edit, undo or redo).
        const now = doc().frames[key];
        if (now?.prompts === prompts) {
          const mask = { rle: result.rle, score: result.score };
          patch({ history: replacePresent(get().annotation.history, { ...doc(), frames: withFrame(doc().frames, key, { prompts, mask }) }) });
        }
      } catch (e) {
        if (doc().frames[key]?.prompts === prompts) patch({ error: `Segmentation failed: ${e instanceof Error ? e.message : String(e)}` });
      } finally {
        if (doc().frames[key]?.prompts === prompts || !doc().frames[key]) setPending(key, false);
      }
    };

    /** After undo or redo: compute masks for prompts whose result never arrived. */
    const fillMissingMasks = (): void => {
      patch({ selection: null });
      for (const [key, entry] of Object.entries(doc().frames)) {
        if (entry.mask === null && entry.prompts.length > 0 && !get().annotation.pending.includes(key)) {
          const [id, frame] = splitKey(key);
          void segment(id, frame);
        }
      }
    };

    return {
      annotation: { history: createHistory(EMPTY_ANNOTATIONS), pending: [], error: null, selection: null },

      selectPrompt(selection) {
        patch({ selection });
      },

      async updatePrompt(key, index, prompt) {
        const entry = doc().frames[key];
        if (!entry || index < 0 || index >= entry.prompts.length) return;
        const prompts = entry.prompts.map((p, i) => (i === index ? prompt : p));
        edit({ ...doc(), frames: withFrame(doc().frames, key, { prompts, mask: entry.mask }) });
        const [id, frame] = splitKey(key);
        await segment(id, frame);
      },

      async deleteSelectedPrompt() {
        const sel = get().annotation.selection;
        const entry = sel ? doc().frames[sel.key] : undefined;
        if (!sel || !entry || !entry.prompts[sel.index]) return;
        const prompts = entry.prompts.filter((_, i) => i !== sel.index);
        patch({ selection: null });
        edit({ ...doc(), frames: withFrame(doc().frames, sel.key, prompts.length === 0 ? null : { prompts, mask: entry.mask }) });
        const [id, frame] = splitKey(sel.key);
        await segment(id, frame);
      },

      addInstance() {
        const instance = nextInstance(doc().instances, newId());
        edit({ ...doc(), instances: [...doc().instances, instance], activeId: instance.id });
        return instance.id;
      },

      setActiveInstance(id) {
        // Choosing which object to work on is navigation, not an edit: no undo step.
        if (doc().instances.some((i) => i.id === id)) patch({ history: replacePresent(get().annotation.history, { ...doc(), activeId: id }) });
      },

      renameInstance(id, name) {
        const trimmed = name.trim();
        const current = doc().instances.find((i) => i.id === id);
        if (!current || trimmed === '' || trimmed === current.name) return;
        edit({ ...doc(), instances: doc().instances.map((i: Instance) => (i.id === id ? { ...i, name: trimmed } : i)) });
      },

      setInstanceVisible(id, visible) {
        edit({ ...doc(), instances: doc().instances.map((i) => (i.id === id ? { ...i, visible } : i)) });
      },

      deleteInstance(id) {
        if (doc().instances.some((i) => i.id === id)) edit(withoutInstance(doc(), id));
      },

      async addPrompt(prompt) {
        if (get().video.info === null) return;
        const id = doc().activeId ?? get().addInstance();
        const frame = get().video.frameIndex;
        const key = annotationKey(id, frame);
        const current = doc().frames[key];
        edit({ ...doc(), frames: withFrame(doc().frames, key, { prompts: [...(current?.prompts ?? []), prompt], mask: current?.mask ?? null }) });
        await segment(id, frame);
      },

      clearPrompts() {
        const id = doc().activeId;
        if (id === null) return;
        const key = annotationKey(id, get().video.frameIndex);
        if (doc().frames[key]) edit({ ...doc(), frames: withFrame(doc().frames, key, null) });
      },

      undo() {
        const h = get().annotation.history;
        if (h.past.length === 0) return;
        patch({ history: undo(h) });
        fillMissingMasks();
      },

      redo() {
        const h = get().annotation.history;
        if (h.future.length === 0) return;
        patch({ history: redo(h) });
        fillMissingMasks();
      },

      dismissAnnotationError() {
        patch({ error: null });
      },

      async prepareFrame() {
        const s = get();
        if (s.video.info === null || s.video.playing || s.model.status !== 'ready') return;
        const frame = s.video.frameIndex;
        const frameKey = `${s.video.sourceId}#${frame}`;
        if (await deps.segmenter.hasEmbedding(frameKey)) return;
        const image = await get().grabFrame(frame);
        if (image === null) return;
        // Still the frame on screen? Scrubbing past it makes the work pointless.
        if (get().video.frameIndex !== frame || get().video.sourceId !== s.video.sourceId) {
          image.close();
          return;
        }
        await deps.segmenter.prepare(frameKey, image).catch(() => undefined);
      },

      loadAnnotations(loaded, history) {
        set((s) => ({ annotation: { ...s.annotation, history: history ?? createHistory(loaded), pending: [], selection: null, error: null } }));
      },

      replaceAnnotations(next) {
        edit(next);
      },
    };
  };
}
