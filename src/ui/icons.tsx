/** Inline SVG icons (no icon font, no emoji: they render the same on every machine). */
import type { ReactNode } from 'react';

function Svg({ children }: { children: ReactNode }) {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const Icon = {
  pointer: () => (
    <Svg>
      <path d="M3 2l9 6-4 1 2 4.5-1.8.8L6.2 9.8 3 13z" fill="currentColor" stroke="none" />
    </Svg>
  ),
  hand: () => (
    <Svg>
      <path d="M5 8V3.5a1 1 0 012 0V7m0-4.5v-.5a1 1 0 012 0V7m0-4a1 1 0 012 0v4.5m0-2a1 1 0 012 0V10a4.5 4.5 0 01-4.5 4.5H8A4 4 0 014.6 12.6L2.6 9.4a1 1 0 011.6-1.2L5 9" />
    </Svg>
  ),
  box: () => (
    <Svg>
      <rect x="2.5" y="3.5" width="11" height="9" rx="0.5" strokeDasharray="2.2 1.6" />
    </Svg>
  ),
  positive: () => (
    <Svg>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M8 5.5v5M5.5 8h5" />
    </Svg>
  ),
  negative: () => (
    <Svg>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M5.5 8h5" />
    </Svg>
  ),
  scribble: () => (
    <Svg>
      <path d="M2 11c2-5 3.5-6 4.5-4.5S6 12 8 10.5 10 5 11.5 5.5 12 10 14 9" />
    </Svg>
  ),
  undo: () => (
    <Svg>
      <path d="M5 3L2 6l3 3M2.5 6H10a3.5 3.5 0 010 7H6" />
    </Svg>
  ),
  redo: () => (
    <Svg>
      <path d="M11 3l3 3-3 3M13.5 6H6a3.5 3.5 0 000 7h4" />
    </Svg>
  ),
  zoomIn: () => (
    <Svg>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5L14 14M5 7h4M7 5v4" />
    </Svg>
  ),
  zoomOut: () => (
    <Svg>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5L14 14M5 7h4" />
    </Svg>
  ),
  fit: () => (
    <Svg>
      <path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" />
    </Svg>
  ),
  help: () => (
    <Svg>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M6.2 6.2a1.9 1.9 0 013.6.8c0 1.3-1.8 1.6-1.8 2.8M8 11.6v.1" />
    </Svg>
  ),
  info: () => (
    <Svg>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M8 7.2V11.5M8 4.6v.1" />
    </Svg>
  ),
  play: () => (
    <Svg>
      <path d="M4.5 2.8v10.4L13 8z" fill="currentColor" />
    </Svg>
  ),
  pause: () => (
    <Svg>
      <path d="M5 3v10M11 3v10" strokeWidth="2.6" />
    </Svg>
  ),
  previousFrame: () => (
    <Svg>
      <path d="M4 3v10M12.5 3.5L6.5 8l6 4.5z" fill="currentColor" />
    </Svg>
  ),
  nextFrame: () => (
    <Svg>
      <path d="M12 3v10M3.5 3.5l6 4.5-6 4.5z" fill="currentColor" />
    </Svg>
  ),
  back: () => (
    <Svg>
      <path d="M8 3.5L2.5 8 8 12.5zM14 3.5L8.5 8l5.5 4.5z" fill="currentColor" />
    </Svg>
  ),
  forward: () => (
    <Svg>
      <path d="M8 3.5L13.5 8 8 12.5zM2 3.5L7.5 8 2 12.5z" fill="currentColor" />
    </Svg>
  ),
};
