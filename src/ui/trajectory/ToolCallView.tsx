import type { ImageRef, ToolCallRun } from '../../core/agent/trajectory';
import { formatFixed1 } from '../../core/agent/pyNumbers';
import type { QueryImageSource } from '../../store/slices/askSlice';
import { QueryImage } from './QueryImage';

function imageLabel(ref: ImageRef): string {
  return ref.source === 'frame' ? `Frame at ${formatFixed1(ref.timeS)} s` : `Visual prompt frame (frame ${ref.frame})`;
}

/** Arguments exactly as the model wrote them (re-serialising would turn its 3.0 into 3), on one line. */
function showArguments(raw: string): string {
  return raw.replace(/\s*\n\s*/g, ' ').trim();
}

/** One tool call: name and arguments, what the client returned (thumbnails with their times), or the error the model was told. */
export function ToolCallView({ images, call, onSeek, onEnlarge }: { images: QueryImageSource | null; call: ToolCallRun; onSeek: (frame: number) => void; onEnlarge: (ref: ImageRef) => void }) {
  const status = call.status === 'running' ? 'running…' : call.status === 'failed' ? 'failed' : `${call.images.length} image${call.images.length === 1 ? '' : 's'}${call.ms !== null ? ` · ${Math.round(call.ms)} ms` : ''}`;
  return (
    <div className={`tool-call ${call.status}`} role="group" aria-label={`Tool call ${call.name || '(unparsed)'}`}>
      <div className="tool-call-head">
        <code className="tool-name">{call.name || '(unparsed call)'}</code>
        <code className="tool-args">{showArguments(call.arguments)}</code>
        <span className="tool-status">{status}</span>
        {call.origin === 'text' ? <span className="badge muted" title="Written as <tool_call> text in the content, not parsed by the server">text</span> : null}
      </div>
      {call.error !== null ? (
        <p className="tool-error" role="note">
          Tool execution failed: {call.error}
        </p>
      ) : null}
      {call.images.length > 0 ? (
        <ul className="tool-images" aria-label={`Images returned by ${call.name}`}>
          {call.images.map((ref, i) => (
            <li key={i}>
              <button type="button" className="thumb-button" aria-label={`Enlarge ${imageLabel(ref)}`} onClick={() => onEnlarge(ref)}>
                <QueryImage source={images} imageRef={ref} size="thumb" alt={imageLabel(ref)} />
              </button>
              {ref.source === 'frame' ? (
                <button type="button" className="time-link" aria-label={`Go to ${formatFixed1(ref.timeS)} s`} onClick={() => onSeek(ref.index)}>
                  {formatFixed1(ref.timeS)} s
                </button>
              ) : (
                <button type="button" className="time-link" aria-label={`Go to frame ${ref.frame}`} onClick={() => onSeek(ref.frame)}>
                  frame {ref.frame}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
