/**
 * npm run score -- <results.jsonl> [--json]
 * Scores a results file (the reference client's JSON Lines, or V2P-Bench's published form) with
 * the app's own scoring code (src/core/review): accuracy overall, per dimension, per duration
 * bucket, per visual prompt type and per video source; unparseable answers are counted, and a person's judgement
 * (`human_judgement`, as the app exports it) overrides the automatic verdict. Lines that are not
 * results are listed on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseResultLines, resultFromLine } from '../src/core/review/resultLines';
import { DURATION_LABELS, scoresJson } from '../src/core/review/exportResults';
import { score, type ScoredResult, type Tally } from '../src/core/review/score';
import { scoredOf } from '../src/core/review/scored';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: npm run score -- <results.jsonl> [--json]');
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  console.error(`score: cannot read ${file}: ${(e as Error).message}`);
  process.exit(1);
}
const { results, problems } = parseResultLines(text);
for (const p of problems.slice(0, 20)) console.error(`score: line ${p.line}: ${p.message}`);
if (problems.length > 20) console.error(`score: … and ${problems.length - 20} more lines that are not results`);
const scored: ScoredResult[] = [];
for (const line of results) {
  const s = scoredOf(line.item, resultFromLine(line, null), line.judgement);
  if (s !== null) scored.push(s);
}
const scores = score(scored);
if (args.includes('--json')) {
  process.stdout.write(scoresJson(scores));
} else {
  const pct = (a: number): string => `${(a * 100).toFixed(1)} %`;
  const o = scores.overall;
  const row = (label: string, t: Tally): string => `  ${label.padEnd(29)} ${pct(t.accuracy).padStart(8)}  (${t.correct}/${t.total}${t.unparseable > 0 ? `; unparseable ${t.unparseable}` : ''})`;
  console.log(`overall  ${pct(o.accuracy)}  (${o.correct}/${o.total}; unparseable ${o.unparseable}, failed ${o.failed}, unjudged ${o.unjudged})`);
  console.log(o.humanJudged === 0 ? 'no result carries a person\'s judgement' : `${o.humanJudged} ${o.humanJudged === 1 ? 'result carries' : 'results carry'} a person's judgement (it overrides the automatic verdict)`);
  console.log('by dimension');
  for (const [code, d] of Object.entries(scores.byDimension)) console.log(row(`${code.padStart(2)} ${d.name}`, d));
  console.log('by duration');
  for (const bucket of ['short', 'medium', 'long'] as const) console.log(row(DURATION_LABELS[bucket], scores.byDuration[bucket]));
  console.log('by visual prompt type');
  for (const [type, t] of Object.entries(scores.byVpType)) console.log(row(type, t));
  if (Object.keys(scores.bySource).length > 0) {
    console.log('by video source');
    for (const [source, t] of Object.entries(scores.bySource)) console.log(row(source, t));
  }
}
