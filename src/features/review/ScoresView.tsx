import { scoreRows, type ScoreRow } from '../../core/review/exportResults';
import type { Scores } from '../../core/review/score';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectCompareRun, selectCompareScores, selectReviewRun, selectRunScores } from '../../store/reviewSelectors';
import { TYPE_NAMES } from '../../ui/visualPromptNames';
import { credit, percent } from './reviewText';

const selectBusy = (s: AppState) => s.review.busy;

const SECTION_TITLES: Record<ScoreRow['section'], string> = { overall: 'Overall', dimension: 'By dimension', duration: 'By video duration', vpType: 'By visual prompt type', source: 'By video source' };

function labelOf(row: ScoreRow): string {
  if (row.section === 'vpType') return row.key in TYPE_NAMES ? TYPE_NAMES[row.key as keyof typeof TYPE_NAMES] : 'Unknown type';
  if (row.section === 'overall') return 'All scored items';
  return row.label;
}

function Cell({ row }: { row: ScoreRow | undefined }) {
  if (!row || row.total === 0) return <td className="num muted">—</td>;
  return (
    <td className="num" title={`${credit(row.correct)} of ${row.total}${row.unparseable ? `, ${row.unparseable} unparseable` : ''}${row.humanJudged ? `, ${row.humanJudged} judged by a person` : ''}`}>
      {percent(row.accuracy)} <span className="hint">({credit(row.correct)}/{row.total})</span>
      {row.unparseable > 0 ? <span className="hint"> · {row.unparseable} unparseable</span> : null}
      {row.humanJudged > 0 ? <span className="human-mark" aria-label={`includes ${row.humanJudged} human judgement${row.humanJudged === 1 ? '' : 's'}`}> ✎{row.humanJudged}</span> : null}
    </td>
  );
}

/** Horizontal bars, one per row (and one per run when comparing); plain SVG, labelled for screen readers. */
function ScoreChart({ rows, other, names }: { rows: readonly ScoreRow[]; other: ReadonlyMap<string, ScoreRow> | null; names: readonly string[] }) {
  const shown = rows.filter((r) => r.total > 0 || (other?.get(`${r.section}:${r.key}`)?.total ?? 0) > 0);
  const bar = other ? 9 : 14;
  const rowH = other ? 24 : 20;
  const labelW = 170;
  const width = 460;
  const barW = width - labelW - 60;
  return (
    <svg className="score-chart" role="img" aria-label={`Accuracy bar chart: ${shown.map((r) => `${labelOf(r)} ${percent(r.accuracy)}`).join(', ')}`} width={width} height={shown.length * rowH + 24} viewBox={`0 0 ${width} ${shown.length * rowH + 24}`}>
      {[0, 0.5, 1].map((t) => (
        <g key={t}>
          <line x1={labelW + t * barW} x2={labelW + t * barW} y1={0} y2={shown.length * rowH} className="grid-line" />
          <text x={labelW + t * barW} y={shown.length * rowH + 14} className="axis-label" textAnchor="middle">
            {t * 100}%
          </text>
        </g>
      ))}
      {shown.map((r, i) => {
        const b = other?.get(`${r.section}:${r.key}`);
        const y = i * rowH + 3;
        return (
          <g key={`${r.section}:${r.key}`}>
            <text x={labelW - 6} y={y + bar - 1} className="bar-label" textAnchor="end">
              {labelOf(r)}
            </text>
            <rect x={labelW} y={y} width={Math.max(0, r.accuracy * barW)} height={bar} className={`bar a${r.humanJudged > 0 ? ' human' : ''}`}>
              <title>{`${names[0]}: ${percent(r.accuracy)}`}</title>
            </rect>
            <text x={labelW + r.accuracy * barW + 4} y={y + bar - 1} className="bar-value">
              {r.total > 0 ? percent(r.accuracy) : ''}
            </text>
            {b ? (
              <rect x={labelW} y={y + bar + 1} width={Math.max(0, b.accuracy * barW)} height={bar} className={`bar b${b.humanJudged > 0 ? ' human' : ''}`}>
                <title>{`${names[1]}: ${percent(b.accuracy)}`}</title>
              </rect>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function SummaryLine({ scores }: { scores: Scores }) {
  const o = scores.overall;
  return (
    <p className="hint">
      {o.total} scored · {o.unparseable} unparseable (scored wrong) · {o.failed} failed · {o.unjudged} open answers not judged (not counted) · {o.humanJudged} judged by a person
    </p>
  );
}

/** Accuracy overall, per dimension, duration bucket, prompt type and video source, as a table and a chart; the compared run beside it. */
export function ScoresView() {
  const store = useAppStoreApi();
  const run = useAppStore(selectReviewRun);
  const other = useAppStore(selectCompareRun);
  const scores = useAppStore(selectRunScores);
  const otherScores = useAppStore(selectCompareScores);
  const busy = useAppStore(selectBusy);
  if (run === null) return null;
  const rowKey = (r: ScoreRow): string => `${r.section}:${r.key}`;
  const ownRows = scoreRows(scores);
  const otherRows = otherScores ? new Map(scoreRows(otherScores).map((r) => [rowKey(r), r])) : null;
  // A group only the compared run has (a source or a dimension this run never reached) still gets its row.
  const own = new Set(ownRows.map(rowKey));
  const theirsOnly = otherRows === null ? [] : [...otherRows.values()].filter((r) => !own.has(rowKey(r))).map((r) => ({ ...r, correct: 0, total: 0, accuracy: 0, unparseable: 0, humanJudged: 0 }));
  const rows = [...ownRows, ...theirsOnly];
  const sections = (['overall', 'dimension', 'duration', 'vpType', 'source'] as const).map((section) => ({ section, rows: rows.filter((r) => r.section === section) }));
  const anyHuman = scores.overall.humanJudged > 0 || (otherScores?.overall.humanJudged ?? 0) > 0;
  return (
    <section className="scores-view" aria-label="Scores">
      <div className="button-row">
        <button type="button" disabled={busy !== null} onClick={() => void store.getState().exportScores('csv')}>
          Export scores as CSV
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void store.getState().exportScores('json')}>
          Export scores as JSON
        </button>
      </div>
      <SummaryLine scores={scores} />
      <table className="scores-table" aria-label="Score table">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">{run.name}</th>
            {other ? <th scope="col">{other.name}</th> : null}
          </tr>
        </thead>
        {sections.map(({ section, rows: list }) =>
          list.length === 0 ? null : (
            <tbody key={section}>
              <tr className="section-row">
                <th scope="rowgroup" colSpan={other ? 3 : 2}>
                  {SECTION_TITLES[section]}
                </th>
              </tr>
              {list.map((r) => (
                <tr key={r.key} aria-label={`${SECTION_TITLES[section]}: ${labelOf(r)}`}>
                  <th scope="row">{labelOf(r)}</th>
                  <Cell row={r} />
                  {otherRows ? <Cell row={otherRows.get(`${r.section}:${r.key}`)} /> : null}
                </tr>
              ))}
            </tbody>
          ),
        )}
      </table>
      {anyHuman ? <p className="hint">✎n: the number includes n judgements by a person, which override the automatic score.</p> : null}
      <ScoreChart rows={rows} other={otherRows} names={[run.name, other?.name ?? '']} />
      {other ? (
        <p className="hint legend">
          <span className="swatch a" /> {run.name} <span className="swatch b" /> {other.name}
        </p>
      ) : null}
    </section>
  );
}
