import { explainFailure } from '../../core/agent/failureText';
import { splitSegments, type Segment } from '../../core/agent/segments';
import type { ImageRef, RoundRecord } from '../../core/agent/trajectory';
import type { QueryImageSource } from '../../store/slices/askSlice';
import { ToolCallView } from './ToolCallView';

function SegmentView({ segment, live }: { segment: Segment; live: boolean }) {
  // Model text is rendered as text nodes only: React escapes it, no HTML from a model reaches the DOM.
  switch (segment.kind) {
    case 'think':
      return (
        <details className="think" open={live || !segment.closed}>
          <summary>{segment.closed ? 'Thinking' : 'Thinking…'}</summary>
          <p className="model-text">{segment.text}</p>
        </details>
      );
    case 'answer':
      return (
        <p className="answer-block" aria-label="Answer block">
          <span className="tag">answer</span> {segment.text}
        </p>
      );
    case 'tool_call':
      return <pre className="tool-call-text">{segment.text}</pre>;
    default:
      return <p className="model-text">{segment.text}</p>;
  }
}

function roundMeta(r: RoundRecord, live: boolean): string {
  const parts: string[] = [];
  if (r.latencyMs !== null) parts.push(`${(r.latencyMs / 1000).toFixed(1)} s`);
  else if (live) parts.push('waiting…');
  // A round rebuilt from a results file was not sent from here: no timings, no bytes.
  if (r.requestBytes === 0 && r.latencyMs === null && !live) return 'from the results file';
  if (r.firstTokenMs !== null) parts.push(`first token ${(r.firstTokenMs / 1000).toFixed(1)} s`);
  if (r.usage) parts.push(`${r.usage.prompt_tokens} → ${r.usage.completion_tokens} tokens`);
  parts.push(`${Math.round(r.requestBytes / 1024)} kB sent`);
  if (r.finishReason) parts.push(`finish: ${r.finishReason}`);
  return parts.join(' · ');
}

/**
 * The round's text as shown. Once the `<tool_call>` blocks written in the text have been read as
 * calls (every block becomes one, a malformed block too), each is shown once, as its call card
 * below; the raw block is only shown while it streams, or when nothing read it (no tools offered).
 */
function shownSegments(round: RoundRecord, live: boolean): Segment[] {
  const segments = splitSegments(round.content, live);
  return round.toolCalls.some((c) => c.origin === 'text') ? segments.filter((s) => s.kind !== 'tool_call') : segments;
}

export interface RoundViewProps {
  readonly images: QueryImageSource | null;
  readonly round: RoundRecord;
  readonly live: boolean;
  readonly context: { readonly baseUrl: string; readonly model: string; readonly maxPixels: number; readonly timeoutS: number; readonly frames: number };
  readonly onSeek: (frame: number) => void;
  readonly onEnlarge: (ref: ImageRef) => void;
}

export function RoundView({ images, round, live, context, onSeek, onEnlarge }: RoundViewProps) {
  const failure = round.failure ? explainFailure(round.failure, context) : null;
  return (
    <article className="round" aria-label={`Round ${round.index + 1}`}>
      <header className="round-head">
        <strong>Round {round.index + 1}</strong>
        <span className="hint">{roundMeta(round, live)}</span>
      </header>
      {round.retries.map((r, i) => (
        <p key={i} className="retry-note">
          {r.failure.status !== null ? `HTTP ${r.failure.status}` : r.failure.kind}: retried after {(r.waitMs / 1000).toFixed(1)} s
        </p>
      ))}
      {round.reasoning !== '' ? (
        <details className="think" open={live}>
          <summary>Reasoning</summary>
          <p className="model-text">{round.reasoning}</p>
        </details>
      ) : null}
      {shownSegments(round, live).map((s, i) => (
        <SegmentView key={i} segment={s} live={live} />
      ))}
      {round.toolCalls.map((call) => (
        <ToolCallView key={call.id} images={images} call={call} onSeek={onSeek} onEnlarge={onEnlarge} />
      ))}
      {failure ? (
        <div className="message error round-failure" role="alert">
          <div>
            <strong>{failure.title}</strong>
            <p>{failure.message}</p>
            {failure.hints.length > 0 ? (
              <ul>
                {failure.hints.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ) : null}
    </article>
  );
}
