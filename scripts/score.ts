/**
 * npm run score -- <results.jsonl> [--json]
 * Scores a results file (the reference client's JSON Lines, or V2P-Bench's published form) with
 * the app's own scoring code (src/core/review): accuracy overall, per dimension and per duration
 * bucket; unparseable answers are counted. Lines that are not results are listed on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseResultLines } from '../src/core/review/resultLines';
import { score } from '../src/core/review/score';

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
const scores = score(results);
if (args.includes('--json')) {
  console.log(JSON.stringify(scores, null, 2));
} else {
  const pct = (a: number): string => `${(a * 100).toFixed(1)} %`;
  const o = scores.overall;
  console.log(`overall  ${pct(o.accuracy)}  (${o.correct}/${o.total}; unparseable ${o.unparseable}, failed ${o.failed}, unjudged ${o.unjudged}, judged by a person ${o.humanJudged})`);
  for (const [code, d] of Object.entries(scores.byDimension)) console.log(`  ${code.padStart(2)} ${d.name.padEnd(26)} ${pct(d.accuracy).padStart(8)}  (${d.correct}/${d.total})`);
  for (const [bucket, t] of Object.entries(scores.byDuration)) console.log(`  ${bucket.padEnd(29)} ${pct(t.accuracy).padStart(8)}  (${t.correct}/${t.total})`);
}
