/**
 * `npm run fake-endpoint [-- flags]`: starts the TEST DOUBLE of a VideoSeeker endpoint by hand
 * (e.g. to try the app without a GPU) and logs one line per chat request. Not a real server.
 * Port 8123 by default so that it never takes a real vLLM's 8000.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_FAKE_PORT, fakeTls, SCRIPT_NAMES, startFakeEndpoint, type ExpectationsInput, type ScriptName } from './server';

const HELP = `Fake VideoSeeker endpoint (TEST DOUBLE, not for real use)

  --port N             listen on 127.0.0.1:N (default ${DEFAULT_FAKE_PORT}; env FAKE_ENDPOINT_PORT)
  --script NAME        scripted behaviour (default videoseeker; env FAKE_ENDPOINT_SCRIPT):
                       ${SCRIPT_NAMES.join(', ')}
  --no-cors            send no CORS headers (the browser then refuses the answers)
  --api-key KEY        require "Authorization: Bearer KEY" (env FAKE_ENDPOINT_API_KEY)
  --chunk-delay MS     delay between stream chunks (default 20)
  --latency S          seconds every round waits before answering (default 0), as a busy model server
  --tls                HTTPS with HTTP/2 (self-signed certificate for 127.0.0.1: open the URL once in
                       the browser and accept it), as a TLS proxy in front of vLLM serves many requests at once
  --lenient            record protocol problems without refusing the request (400)
  --reject-stream-options  answer stream_options with a 400 naming it, as a strict server does
  --error-style S      openai (default) or vllm
  --video WxH          the source video's size: frame sizes are then checked exactly
  --duration S         the source video's duration in seconds
  --fps N              the source video's frame rate
  --max-pixels N       max_pixels of the first message's frames (default 200704)
  --factor N           smart_resize factor (default 28)
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    script: { type: 'string' },
    'no-cors': { type: 'boolean' },
    'api-key': { type: 'string' },
    'chunk-delay': { type: 'string' },
    latency: { type: 'string' },
    lenient: { type: 'boolean' },
    tls: { type: 'boolean' },
    'reject-stream-options': { type: 'boolean' },
    'error-style': { type: 'string' },
    video: { type: 'string' },
    duration: { type: 'string' },
    fps: { type: 'string' },
    'max-pixels': { type: 'string' },
    factor: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${text}"`);
  return n;
}

const script = values.script ?? process.env.FAKE_ENDPOINT_SCRIPT ?? 'videoseeker';
if (!(SCRIPT_NAMES as readonly string[]).includes(script)) {
  process.stderr.write(`Unknown script "${script}". One of: ${SCRIPT_NAMES.join(', ')}\n`);
  process.exit(2);
}
const errorStyle = values['error-style'] ?? 'openai';
if (errorStyle !== 'openai' && errorStyle !== 'vllm') throw new Error('--error-style must be openai or vllm');
const size = values.video === undefined ? null : /^(\d+)x(\d+)$/.exec(values.video);
if (values.video !== undefined && size === null) throw new Error('--video must look like 1280x720');

const expectations: ExpectationsInput = {
  video: {
    ...(size !== null ? { width: Number(size[1]), height: Number(size[2]) } : {}),
    ...(values.duration !== undefined ? { durationS: number('duration', values.duration) } : {}),
    ...(values.fps !== undefined ? { fps: number('fps', values.fps) } : {}),
  },
  sampling: {
    ...(values['max-pixels'] !== undefined ? { maxPixels: number('max-pixels', values['max-pixels']) } : {}),
    ...(values.factor !== undefined ? { factor: number('factor', values.factor) } : {}),
  },
};

const endpoint = await startFakeEndpoint({
  port: number('port', values.port ?? process.env.FAKE_ENDPOINT_PORT) ?? DEFAULT_FAKE_PORT,
  script: script as ScriptName,
  cors: !values['no-cors'],
  apiKey: values['api-key'] ?? process.env.FAKE_ENDPOINT_API_KEY ?? null,
  chunkDelayMs: number('chunk-delay', values['chunk-delay']) ?? 20,
  latencyS: number('latency', values.latency) ?? 0,
  strictProtocol: !values.lenient,
  ...(values.tls ? { tls: fakeTls() } : {}),
  rejectStreamOptions: values['reject-stream-options'] ?? false,
  errorStyle,
  expectations,
  onRequest: (r) => {
    const what = r.response?.toolCalls.length ? r.response.toolCalls.map((t) => `${t.name}(${t.arguments})`).join(', ') : (r.response?.content ?? r.response?.note ?? '');
    process.stdout.write(`#${r.index} ${r.script} roles=${r.roles.join(',')} frames=${r.frames?.count ?? '-'} -> ${r.response?.status ?? '?'} ${what.slice(0, 120).replace(/\n/g, ' ')}\n`);
    if (r.rejected !== null) process.stdout.write(`   rejected: ${r.rejected}\n`);
    for (const p of r.problems) process.stdout.write(`   problem: ${p}\n`);
  },
});

process.stdout.write(`Fake VideoSeeker endpoint (TEST DOUBLE) on ${endpoint.url}  script=${script}  model=videoseeker-fake\n`);
process.stdout.write(`Inspect: ${endpoint.url.replace(/\/v1$/, '')}/__fake/requests\n`);

const stop = (): void => {
  void endpoint.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
