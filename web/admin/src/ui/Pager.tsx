import type { PagedCollection } from '../hooks/usePagedCollection.ts';
import { Button } from './Button.tsx';

/** Previous / next through a paged Graph collection, with the total when the service counted it. */
export function Pager({ list, noun }: { list: PagedCollection<unknown>; noun: string }) {
  if (!list.hasPrevious && !list.hasNext && list.count === null) return null;
  return (
    <nav className="pager" aria-label={`${noun} pages`}>
      <span className="pager-status" aria-live="polite">
        Page {list.pageNumber}
        {list.count !== null && ` · ${list.count} ${noun}`}
      </span>
      <span className="pager-buttons">
        <Button onClick={list.previous} disabled={!list.hasPrevious || list.loading} data-testid="pager-previous">
          Previous
        </Button>
        <Button onClick={list.next} disabled={!list.hasNext || list.loading} data-testid="pager-next">
          Next
        </Button>
      </span>
    </nav>
  );
}
