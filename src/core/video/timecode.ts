/** Formats seconds as m:ss.mmm (or h:mm:ss.mmm past an hour). */
export function formatTime(seconds: number, decimals = 3): string {
  const s = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  const scale = 10 ** decimals;
  // Round once, on the whole value, so 59.9996 never prints as 0:60.000.
  const total = Math.round(s * scale) / scale;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total - h * 3600 - m * 60;
  const secText = sec.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${secText}` : `${m}:${secText}`;
}

export type TimeTarget = { kind: 'time'; seconds: number } | { kind: 'frame'; index: number };

/**
 * Parses what a user types into "Go to time": seconds ("12.5", "12.5s"), clock time
 * ("1:02.5", "1:02:03"), or a frame number ("#120", "f120", "frame 120").
 */
export function parseTimeInput(text: string): TimeTarget | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  const frame = /^(?:#|f|frame\s*)(\d+)$/.exec(t);
  if (frame) return { kind: 'frame', index: Number(frame[1]) };
  const secs = /^(\d+(?:\.\d*)?|\.\d+)\s*s?$/.exec(t);
  if (secs) return { kind: 'time', seconds: Number(secs[1]) };
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d*)?)$/.exec(t);
  if (clock) {
    const h = clock[1] === undefined ? 0 : Number(clock[1]);
    const m = Number(clock[2]);
    const s = Number(clock[3]);
    if (m >= 60 || s >= 60) return null;
    return { kind: 'time', seconds: h * 3600 + m * 60 + s };
  }
  return null;
}
