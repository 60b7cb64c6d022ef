/**
 * What scoring needs from one result of a run, batch or imported alike: the item as it was asked,
 * what the model said, and the judgements.
 */
import { isMultipleChoice } from './resultItem';
import type { Judgement, ResultItem, RunResult } from './run';
import type { ScoredResult } from './score';

/**
 * The result as scoring sees it, or null while it has no answer yet (pending or running): an item
 * still to be asked is not a wrong answer, so it stays out of every count, failures included.
 */
export function scoredOf(item: ResultItem, result: RunResult, judgement: Judgement | null | undefined): ScoredResult | null {
  if (result.status === 'pending' || result.status === 'running') return null;
  return {
    dimension: item.dimension,
    duration: item.duration,
    source: item.source,
    answer: item.answer,
    vpType: item.vpType,
    multipleChoice: isMultipleChoice(item),
    response: result.status === 'failed' ? null : result.response,
    autoJudgement: result.autoJudgement,
    humanJudgement: judgement?.value ?? null,
  };
}
