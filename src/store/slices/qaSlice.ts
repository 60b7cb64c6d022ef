/**
 * The QA dataset of the project: items about instances, each with its visual prompt, question,
 * options, answer, dimension and category; created from the current instance and frame, edited,
 * duplicated and deleted with their own undo history, and asked through the VideoSeeker loop.
 */
import type { StateCreator } from 'zustand';
import { commit, createHistory, redo, replacePresent, undo, type History } from '../../core/annotation/history';
import { defaultPromptFrame } from '../../core/agent/query';
import { fileStem } from '../../core/formats/zipPaths';
import { draftForItem, resolveImageItem } from '../../core/qa/askDraft';
import type { QaItem } from '../../core/qa/model';
import type { QaView } from '../../core/qa/tableView';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export type { QaSortKey, QaView } from '../../core/qa/tableView';

export interface QaSlice {
  qa: {
    readonly history: History<readonly QaItem[]>;
    readonly selectedId: string | null;
    readonly view: QaView;
    readonly error: string | null;
    /** What the last import did (items added, videos missing...). */
    readonly report: string | null;
  };
  /** A new item for the active instance on the current frame (or its nearest masked frame); resolves with its id. */
  addQaItem(): string | null;
  updateQaItem(id: string, patch: Partial<Omit<QaItem, 'id'>>): void;
  duplicateQaItem(id: string): void;
  deleteQaItem(id: string): void;
  undoQa(): void;
  redoQa(): void;
  selectQaItem(id: string | null): void;
  setQaView(patch: Partial<QaView>): void;
  /** Runs the item through the VideoSeeker loop (as the Ask panel would) and keeps the query on it. */
  askQaItem(id: string): Promise<void>;
  /**
   * Makes an image the item's visual prompt (a frame with the prompt already drawn, as V2P-Bench
   * ships them): kept with the project's files, sent as it is by view_visual_prompt.
   */
  attachPromptImage(id: string, file: Blob, name: string): Promise<void>;
  /** Opens the item's video at its frame (and selects its object). */
  openQaItem(id: string): Promise<void>;
  /** Replaces the items (a project was opened or imported). */
  loadQaItems(items: readonly QaItem[]): void;
  /** Adds items as one undoable step. */
  addQaItems(items: readonly QaItem[]): void;
  setQaReport(report: string | null, error?: string | null): void;
}

let counter = 0;
const newId = (): string => `qa-${Date.now().toString(36)}-${(counter++).toString(36)}`;


export function createQaSlice(deps: AppDeps): StateCreator<AppState, [], [], QaSlice> {
  return (set, get) => {
    const patch = (p: Partial<QaSlice['qa']>): void => set((s) => ({ qa: { ...s.qa, ...p } }));
    const items = (): readonly QaItem[] => get().qa.history.present;
    const edit = (next: readonly QaItem[]): void => patch({ history: commit(get().qa.history, next) });

    return {
      qa: { history: createHistory<readonly QaItem[]>([]), selectedId: null, view: { search: '', dimension: null, sort: 'created', descending: false }, error: null, report: null },

      addQaItem() {
        const doc = get().annotation.history.present;
        const info = get().video.info;
        const instanceId = doc.activeId;
        if (info === null || instanceId === null) {
          patch({ error: 'Open a video and mark an object first: a QA item is about one object.' });
          return null;
        }
        const frame = defaultPromptFrame(doc, instanceId, get().video.frameIndex) ?? get().video.frameIndex;
        const draft = get().ask.draft;
        const item: QaItem = {
          id: newId(),
          instanceId,
          videoId: fileStem(info.name),
          frame,
          vpType: draft.vpType,
          colour: draft.colour,
          question: '',
          options: [],
          answer: '',
          dimension: null,
          category: null,
          source: '',
          notes: '',
          createdAt: deps.agentClock.now(),
          resultQueryId: null,
          videoPath: null,
          framePath: null,
          duration: null,
          projectVideoId: get().dataset.openVideoId,
          promptImage: null,
        };
        edit([...items(), item]);
        patch({ selectedId: item.id, error: null });
        return item.id;
      },

      updateQaItem(id, p) {
        const list = items();
        const i = list.findIndex((x) => x.id === id);
        if (i < 0) return;
        const next = { ...list[i]!, ...p };
        // Typing in one field is one undo step per change; a field edit replaces the last step
        // when it continues the same field of the same item (see QaEditor's commit on blur).
        edit(list.map((x) => (x.id === id ? next : x)));
      },

      duplicateQaItem(id) {
        const list = items();
        const i = list.findIndex((x) => x.id === id);
        if (i < 0) return;
        const copy = { ...list[i]!, id: newId(), createdAt: deps.agentClock.now(), resultQueryId: null };
        edit([...list.slice(0, i + 1), copy, ...list.slice(i + 1)]);
        patch({ selectedId: copy.id });
      },

      deleteQaItem(id) {
        const list = items();
        const i = list.findIndex((x) => x.id === id);
        if (i < 0) return;
        const next = list.filter((x) => x.id !== id);
        edit(next);
        patch({ selectedId: next[Math.min(i, next.length - 1)]?.id ?? null });
      },

      undoQa() {
        patch({ history: undo(get().qa.history) });
      },

      redoQa() {
        patch({ history: redo(get().qa.history) });
      },

      selectQaItem(id) {
        patch({ selectedId: id });
      },

      setQaView(p) {
        patch({ view: { ...get().qa.view, ...p } });
      },

      async askQaItem(id) {
        const item = items().find((x) => x.id === id);
        if (!item) return;
        if (item.promptImage === null && (item.instanceId === null || item.frame === null)) {
          patch({ error: 'This item is not tied to an object with a mask in this project: link it to one first.' });
          return;
        }
        // An item is asked on its own video: that video opens first.
        if (item.projectVideoId !== null && item.projectVideoId !== get().dataset.openVideoId) {
          const opened = await get().switchVideo(item.projectVideoId, item.frame !== null ? { frame: item.frame } : undefined);
          if (!opened) {
            patch({ error: `The item’s video cannot be opened: ${get().dataset.message ?? 'it is not available'}` });
            return;
          }
        }
        let queryId: string | null;
        if (item.promptImage !== null) {
          const check = resolveImageItem(item, get().ask.draft);
          if (!check.ok) {
            patch({ error: check.reason });
            return;
          }
          queryId = get().askResolved(draftForItem(item, get().ask.draft), check.ask);
        } else {
          get().setDraft(draftForItem(item, get().ask.draft));
          queryId = await get().askQuestion();
        }
        if (queryId === null) {
          patch({ error: get().ask.error });
          return;
        }
        // The result is kept on the item without an undo step of its own.
        patch({ history: replacePresent(get().qa.history, items().map((x) => (x.id === id ? { ...x, resultQueryId: queryId } : x))), error: null });
      },

      async attachPromptImage(id, file, name) {
        const project = get().project.current;
        if (project === null) return;
        const dot = name.lastIndexOf('.');
        const ext = dot > 0 ? name.slice(dot).toLowerCase().replace(/[^.a-z0-9]/g, '') : '.jpg';
        const key = `images/${id}-${deps.agentClock.now().toString(36)}${ext}`;
        try {
          // Refuses a file that is not an image before anything is kept.
          await deps.files.readImage(file);
          await deps.media.copy(project.id, key, file);
        } catch (e) {
          patch({ error: `The image “${name}” was not attached: ${e instanceof Error ? e.message : String(e)}` });
          return;
        }
        if (!items().some((x) => x.id === id)) return;
        edit(items().map((x) => (x.id === id ? { ...x, promptImage: key } : x)));
        patch({ error: null });
      },

      async openQaItem(id) {
        const item = items().find((x) => x.id === id);
        if (!item) return;
        patch({ selectedId: id });
        const videoId = item.projectVideoId ?? get().dataset.openVideoId;
        if (videoId === null) return;
        const opened = await get().switchVideo(videoId, item.frame !== null ? { frame: item.frame } : undefined);
        if (!opened) {
          patch({ error: `The item’s video cannot be opened: ${get().dataset.message ?? 'it is not available'}` });
          return;
        }
        if (item.instanceId !== null) get().setActiveInstance(item.instanceId);
      },

      loadQaItems(list) {
        patch({ history: createHistory<readonly QaItem[]>(list), selectedId: list[0]?.id ?? null, error: null, report: null });
      },

      addQaItems(list) {
        edit([...items(), ...list]);
      },

      setQaReport(report, error = null) {
        patch({ report, error });
      },
    };
  };
}
