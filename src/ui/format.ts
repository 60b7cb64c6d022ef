/** Display helpers shared by panels. */
export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatFps(fps: number): string {
  return Number.isInteger(Math.round(fps * 1000) / 1000) ? String(Math.round(fps)) : fps.toFixed(3).replace(/0+$/, '');
}
