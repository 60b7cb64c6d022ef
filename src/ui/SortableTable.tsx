/** Parts shared by the app's virtualised tables (QA items, project videos): sortable headers and spacer rows. */

export interface SortColumn<K extends string> {
  readonly key: K;
  readonly label: string;
}

/** A header row whose buttons sort by their column; pressing the sorted column again reverses it. */
export function SortHeader<K extends string>({ columns, sort, descending, onSort }: { columns: readonly SortColumn<K>[]; sort: K; descending: boolean; onSort: (sort: K, descending: boolean) => void }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c.key} aria-sort={sort === c.key ? (descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" className="th-button" onClick={() => onSort(c.key, sort === c.key ? !descending : false)}>
              {c.label}
            </button>
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** Stands for the rows above or below the ones drawn (hidden from assistive technology: aria-rowindex says where the drawn rows are). */
export function SpacerRow({ height, columns }: { height: number; columns: number }) {
  return (
    <tr aria-hidden="true" className="qa-spacer">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
