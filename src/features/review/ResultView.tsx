import { useMemo } from 'react';
import { trajectoryFromResult } from '../../core/review/importedTrajectory';
import { isMultipleChoice } from '../../core/review/resultItem';
import type { Outcome } from '../../core/review/rows';
import type { ReviewRun, RunResult, ResultItem } from '../../core/review/run';
import type { AppState } from '../../store/appStore';
import type { QueryImageSource } from '../../store/slices/askSlice';
import { useAppStore } from '../../store/context';
import { SubjectTrajectoryView } from '../../ui/trajectory/TrajectoryView';
import { subjectOfQuery, type TrajectorySubject } from '../../ui/trajectory/subject';
import { OUTCOME_LABELS } from './reviewText';

const selectLive = (s: AppState) => s.batch.live;

/**
 * One run's answer to the selected item: the prediction and how it scored, then the whole
 * trajectory — recorded for a batch run, live while the item runs, rebuilt from the text for an
 * imported result.
 */
export function ResultView({ run, result, item, outcome, prediction, images, label }: { run: ReviewRun; result: RunResult; item: ResultItem; outcome: Outcome; prediction: string; images: QueryImageSource | null; label: string }) {
  const live = useAppStore(selectLive)[`${run.id}/${result.key}`] ?? null;
  const multipleChoice = isMultipleChoice(item);
  const subject = useMemo((): TrajectorySubject | null => {
    if (result.query !== null) return { ...subjectOfQuery(result.query), images: images ?? null };
    const base = {
      id: `${run.id}/${result.key}`,
      model: result.model ?? run.model,
      mode: run.settings?.mode ?? null,
      endpoint: run.settings ? { baseUrl: run.settings.baseUrl, maxPixels: run.settings.sampling.maxPixels, timeoutS: run.settings.timeoutS } : null,
      instanceName: null,
      sentQuestion: item.question,
      options: item.options,
      images,
    };
    if (live !== null) return { ...base, trajectory: live };
    if (result.status === 'pending' || result.status === 'running') return null;
    return { ...base, trajectory: trajectoryFromResult(result, multipleChoice) };
  }, [result, run, item, live, images, multipleChoice]);
  return (
    <section className="result-view" aria-label={label}>
      <header className="result-head">
        <h3>{label}</h3>
        <span className="hint">{run.name}</span>
      </header>
      <p className="prediction">
        <span className="hint">{multipleChoice ? 'Predicted' : 'Answer'}: </span>
        <strong>{result.status === 'pending' ? 'not run yet' : result.status === 'running' ? 'running…' : result.status === 'failed' ? 'failed' : prediction === '' ? '(no answer)' : prediction}</strong>{' '}
        <span className={`outcome-badge ${outcome}`}>{OUTCOME_LABELS[outcome]}</span>
      </p>
      {result.error !== null ? (
        <p className="problem" role="alert">
          {result.error}
        </p>
      ) : null}
      {result.query === null && run.kind === 'import' ? <p className="hint">Rebuilt from the results file: rounds are split at the tool calls; the images the model saw are not in the file.</p> : null}
      {subject !== null ? <SubjectTrajectoryView subject={subject} running={live !== null} /> : null}
    </section>
  );
}
