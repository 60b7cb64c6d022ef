/**
 * What to tell the user when a call to the model server failed: a title, a sentence with what
 * the server said, and what to try. Pure text from an EndpointFailure and the settings in use;
 * the numbers in the hints are the user's own, so a hint can be followed as it stands.
 */
import type { EndpointFailure } from './ports';

export interface FailureContext {
  readonly baseUrl: string;
  /** '' when none was chosen. */
  readonly model: string;
  /** Frames sampled from the video for the first message. */
  readonly frames?: number;
  /** The per-frame pixel budget in use. */
  readonly maxPixels?: number;
  readonly timeoutS?: number;
}

export interface FailureExplanation {
  readonly title: string;
  readonly message: string;
  readonly hints: string[];
}

const VLLM_SERVE = 'vllm serve <checkpoint> --tool-call-parser hermes --enable-auto-tool-choice';
const ALLOW_ORIGINS = `--allowed-origins '["*"]'`;

export function explainFailure(failure: EndpointFailure, context: FailureContext): FailureExplanation {
  const { baseUrl } = context;
  const { detail, status } = failure;
  const said = detail ? ` The server said: "${detail}"` : '';
  const http = status !== null ? `HTTP ${status}` : 'an error';
  switch (failure.kind) {
    case 'unreachable':
      return {
        title: `Cannot reach ${baseUrl}`,
        message: `Nothing answered at ${baseUrl}${detail ? ` (${detail})` : ''}.`,
        hints: [
          `Start the model server, e.g. \`${VLLM_SERVE}\`.`,
          'Check the base URL: host, port and the /v1 at the end (vLLM listens on http://localhost:8000/v1).',
          `If the server is running, the browser may be refusing its answers (CORS): start vLLM with ${ALLOW_ORIGINS}, or ${proxyHint(baseUrl)}.`,
        ],
      };
    case 'cors':
      return {
        title: `The browser blocked the answer from ${baseUrl}`,
        message:
          'The server is there, but its answer had no CORS header (Access-Control-Allow-Origin) allowing this page, so the browser did not let the app read it.',
        hints: [`Start vLLM with ${ALLOW_ORIGINS} (or with this page's origin); other servers have a similar CORS setting.`, `Or ${proxyHint(baseUrl)}.`],
      };
    case 'unauthorized':
      return {
        title: 'The server rejected the API key',
        message: `${baseUrl} answered 401 Unauthorized.${said}`,
        hints: ['Check the API key in the endpoint settings.', 'vLLM started with --api-key expects exactly that key; a server without one accepts any key (e.g. EMPTY).'],
      };
    case 'forbidden':
      return {
        title: 'The server refused access',
        message: `${baseUrl} answered 403 Forbidden.${said}`,
        hints: ['Check that the API key may use this model.', 'A proxy or firewall in front of the server may be refusing the request.'],
      };
    case 'unknown-model':
      return unknownModel(failure, context, said);
    case 'too-large':
      return {
        title: 'The request is too large for the model',
        message: `The frames and messages do not fit what the server accepts.${said}`,
        hints: tooLargeHints(failure, context),
      };
    case 'rate-limited':
      return {
        title: 'The server is rate limiting requests',
        message: `It answered 429 Too Many Requests, and the retries are used up.${said}`,
        hints: [
          ...(failure.retryAfterS !== null ? [`It asked to wait ${failure.retryAfterS} s before trying again.`] : []),
          'Wait a moment and ask again, or use a key or server with a higher limit.',
        ],
      };
    case 'server':
      return {
        title: status !== null ? `The server failed (HTTP ${status})` : 'The server reported an error',
        message: `It still failed after the retries.${said}`,
        hints: serverHints(failure, context),
      };
    case 'timeout': {
      const seconds = context.timeoutS !== undefined ? `${context.timeoutS} s` : 'too long';
      return {
        title: context.timeoutS !== undefined ? `No answer for ${seconds}` : 'The server stopped answering',
        message: `${baseUrl} sent nothing for ${seconds}, so the request was abandoned.`,
        hints: [
          'Raise the timeout in the endpoint settings if the server is just slow (the first request may wait for the model to load or warm up).',
          'Turn streaming on: a streamed answer keeps arriving while the model writes, while an unstreamed one arrives only at the end.',
          'Fewer frames or fewer pixels per frame make the prompt faster to process.',
        ],
      };
    }
    case 'bad-response':
      return {
        title: 'The answer is not a Chat Completions response',
        message: `${baseUrl} answered with something else${detail ? `: ${detail}` : ''}.`,
        hints: ['Check that the base URL points at the API (usually ending in /v1), not at a web page.', 'If the server cannot stream, turn streaming off.'],
      };
    case 'truncated':
      return {
        title: 'The answer was cut off',
        message: `The response ended before the model finished (no finish_reason, no [DONE])${detail ? `: ${detail}` : ''}.`,
        hints: ["The server may have crashed or restarted: check its log.", 'A proxy in front of the server may cut long responses.', 'Ask again, or turn streaming off.'],
      };
    case 'http':
      return {
        title: `The server answered ${http}`,
        message: said.trim() || 'It gave no reason.',
        hints: httpHints(failure),
      };
    case 'cancelled':
      return { title: 'Cancelled', message: 'The request was stopped.', hints: [] };
  }
}

function unknownModel(failure: EndpointFailure, context: FailureContext, said: string): FailureExplanation {
  const name = context.model ? `"${context.model}"` : 'the chosen model';
  const refresh = 'Use "Refresh models" to choose one the server serves.';
  // A bare 404 ("Not Found") is a wrong path, not a wrong model: the server never read the body.
  const aboutModel = /model/i.test(failure.detail) || (context.model !== '' && failure.detail.includes(context.model));
  if (failure.status === 404 && !aboutModel) {
    return {
      title: `Not found at ${context.baseUrl}`,
      message: `The server answered 404 Not Found.${said}`,
      hints: ['Check that the base URL ends with /v1 (vLLM: http://localhost:8000/v1).', refresh],
    };
  }
  return {
    title: `The server has no model ${name}`,
    message: `${context.baseUrl} does not serve ${name}.${said}`,
    hints: [refresh, 'vLLM serves a model under its --served-model-name, or else under the checkpoint path given to vllm serve.'],
  };
}

function tooLargeHints(failure: EndpointFailure, { frames, maxPixels }: FailureContext): string[] {
  const hints: string[] = [];
  if (frames !== undefined && frames > 2) hints.push(`Use fewer frames (now ${frames}; try ${Math.max(2, Math.floor(frames / 4) * 2)}).`);
  else hints.push('Use fewer frames.');
  if (maxPixels !== undefined) {
    const side = Math.round(Math.sqrt(maxPixels));
    hints.push(`Use fewer pixels per frame (now ${maxPixels}, about ${side}×${side}; try ${Math.floor(maxPixels / 2)}).`);
  } else hints.push('Use fewer pixels per frame.');
  hints.push('vLLM: a larger --max-model-len (if the model supports it) or --limit-mm-per-prompt raises the server\'s limits.');
  if (failure.status === 413) hints.push('A 413 may come from a proxy in front of the server that limits the request size.');
  return hints;
}

function serverHints(failure: EndpointFailure, { baseUrl }: FailureContext): string[] {
  const hints = ["Look at the server's log (the vllm serve console) for the cause.", 'Running out of GPU memory is common with many large frames: try fewer frames or fewer pixels.'];
  if (failure.status === 502 || failure.status === 503 || failure.status === 504) {
    hints.unshift(
      isRelative(baseUrl)
        ? "The app's proxy could not get an answer from VIDEOSEEKER_PROXY_TARGET: check that the model server is running there."
        : `HTTP ${failure.status} usually comes from a proxy or gateway in front of the model server: check that the server behind it is up.`,
    );
  }
  return hints;
}

function httpHints(failure: EndpointFailure): string[] {
  if (/tool.?choice|tool-call-parser|tool_call_parser/i.test(failure.detail)) {
    return [`The server is not set up for tool calls: start vLLM with \`${VLLM_SERVE}\`, or use the reasoning or direct mode.`];
  }
  return ["Check the endpoint settings; the server's log may say more."];
}

/** "start the app with VIDEOSEEKER_PROXY_TARGET=... and use the base URL /proxy/v1". */
function proxyHint(baseUrl: string): string {
  const match = /^(https?:\/\/[^/?#]+)(\/[^?#]*)?/i.exec(baseUrl.trim());
  const origin = match?.[1] ?? 'http://<host>:8000';
  // The same path behind /proxy: the proxy only swaps the origin.
  const path = match ? (match[2] ?? '').replace(/\/+$/, '') : '/v1';
  return `let the app forward the requests: start it with \`VIDEOSEEKER_PROXY_TARGET=${origin} npm start\` and set the base URL to /proxy${path}`;
}

function isRelative(baseUrl: string): boolean {
  return baseUrl.trim().startsWith('/');
}
