import type { ReactNode } from 'react';
import type { PagedCollection } from '../hooks/usePagedCollection.ts';
import { LoadError } from './LoadError.tsx';
import { Loading } from './Loading.tsx';
import { Pager } from './Pager.tsx';

interface PagedTableProps<T extends { id: string }> {
  list: PagedCollection<T>;
  /** plural, for the pager: "users" */
  noun: string;
  /** the table's (visually hidden) caption: "Users" */
  caption: string;
  /** what loading it means, for errors: "view users" */
  doing: string;
  /** shown when the page loaded and holds nothing */
  empty: ReactNode;
  /** the header cells (`<th scope="col">`) */
  head: ReactNode;
  /** the cells of one item's row */
  row(item: T): ReactNode;
  /** on the table */
  testId?: string;
}

/** A page of a Graph collection as a table: load error, loading, empty state, rows and the pager. */
export function PagedTable<T extends { id: string }>({ list, noun, caption, doing, empty, head, row, testId }: PagedTableProps<T>) {
  return (
    <>
      {list.error !== null && <LoadError error={list.error} doing={doing} onRetry={list.reload} />}
      {list.loading && list.items.length === 0 && <Loading />}
      {!list.loading && list.error === null && list.items.length === 0 && <p className="empty">{empty}</p>}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid={testId} aria-busy={list.loading || undefined}>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>{head}</tr>
            </thead>
            <tbody>
              {list.items.map((item) => (
                <tr key={item.id}>{row(item)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} noun={noun} />
    </>
  );
}
