import { OPTION_LETTERS } from '../../core/agent/prompts';
import { dimensionName } from '../../core/qa/dimensions';
import { isMultipleChoice } from '../../core/review/resultItem';
import type { ReviewRow } from '../../core/review/rows';
import type { JudgementValue } from '../../core/review/run';
import { durationBucket } from '../../core/review/score';
import type { AppState } from '../../store/appStore';
import type { QueryImageSource } from '../../store/slices/askSlice';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { QueryImage } from '../../ui/trajectory/QueryImage';
import { TYPE_NAMES } from '../../ui/visualPromptNames';
import { JUDGEMENT_LABELS, OUTCOME_LABELS } from './reviewText';

const selectVideoWidth = (s: AppState) => s.video.info?.width ?? null;
const selectVideoHeight = (s: AppState) => s.video.info?.height ?? null;
const VP_WIDTH = 480;

const VERDICTS: { value: JudgementValue; key: string }[] = [
  { value: 1, key: '1' },
  { value: 0.5, key: '2' },
  { value: 0, key: '3' },
];

/** The item under review: its visual prompt frame, the question, the ground truth, and a person's judgement and note. */
export function ItemView({ row, images }: { row: ReviewRow; images: QueryImageSource | null }) {
  const store = useAppStoreApi();
  const w = useAppStore(selectVideoWidth);
  const h = useAppStore(selectVideoHeight);
  const item = row.item;
  const mc = isMultipleChoice(item);
  const verdict = row.judgement?.value ?? null;
  const width = Math.min(VP_WIDTH, w ?? 0);
  const vpRef = { source: 'visual-prompt' as const, frame: images?.visualPrompt.frame ?? 0, width, height: Math.round((width * (h ?? 0)) / Math.max(1, w ?? 0)), bytes: 0 };
  const answerIndex = OPTION_LETTERS.indexOf(item.answer.trim().toUpperCase() as (typeof OPTION_LETTERS)[number]);
  const tags = [
    // Which video of the dataset, and where it comes from.
    item.videoPath ?? item.videoId,
    ...(item.source !== '' ? [item.source] : []),
    item.dimension !== null ? dimensionName(item.dimension) : 'no dimension',
    item.duration !== null ? `${durationBucket(item.duration)} video (${Math.round(item.duration)} s)` : 'duration unknown',
    item.vpType !== null ? TYPE_NAMES[item.vpType] : 'prompt type unknown',
  ];
  return (
    <section className="item-view" aria-label="Item under review">
      <p className="hint">{tags.join(' · ')}</p>
      <div className="item-body">
        <figure className="vp-figure">
          {images !== null && w !== null ? (
            <>
              <QueryImage source={images} imageRef={vpRef} size="full" alt="Visual prompt frame" />
              <figcaption>
                <button type="button" className="time-link" onClick={() => store.getState().seek(vpRef.frame)}>
                  Frame {vpRef.frame}
                </button>{' '}
                · {images.instanceName}
              </figcaption>
            </>
          ) : (
            <figcaption className="hint">
              No visual prompt frame: this result is not linked to an item of this project{typeof item.framePath === 'string' && item.framePath !== '' ? ` (the dataset’s frame: ${item.framePath})` : ''}.
            </figcaption>
          )}
        </figure>
        <div className="item-text">
          <p className="item-question">{item.question}</p>
          {item.options.length > 0 ? (
            <ol className="options-list" type="A">
              {item.options.map((o, i) => (
                <li key={i} className={i === answerIndex ? 'is-answer' : undefined}>
                  {o}
                </li>
              ))}
            </ol>
          ) : null}
          <p className="ground-truth">
            <span className="hint">Ground truth: </span>
            <strong>{item.answer}</strong>
            {mc && answerIndex >= 0 && item.options[answerIndex] ? ` · ${item.options[answerIndex]}` : ''}
          </p>
        </div>
      </div>
      <div className="judge" role="group" aria-label="Your judgement">
        <span className="hint">Your judgement:</span>
        {VERDICTS.map((v) => (
          <button key={v.key} type="button" aria-pressed={verdict === v.value} className={`judge-button v${v.key}`} onClick={() => store.getState().judge(row.key, verdict === v.value ? null : v.value)} title={`Shortcut: ${v.key}`}>
            {JUDGEMENT_LABELS[v.value]} <kbd>{v.key}</kbd>
          </button>
        ))}
        <span className="hint">{verdict !== null ? `overrides the automatic score` : `automatic: ${OUTCOME_LABELS[row.outcome]}`}</span>
      </div>
      <label className="note-field">
        <span className="hint">Note</span>
        <textarea aria-label="Note" rows={2} value={row.judgement?.note ?? ''} onChange={(e) => store.getState().setReviewNote(row.key, e.target.value)} placeholder="Why, what the model missed, a problem with the item…" />
      </label>
    </section>
  );
}
