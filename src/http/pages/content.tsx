import { type ReactNode, useId } from 'react';

/** The page's `<h1>`, with an optional line of explanation under it. Use once per page. */
export function PageHeading({ title, lead }: { title: string; lead?: ReactNode }) {
  return (
    <div className="page-heading">
      <h1>{title}</h1>
      {lead && <p className="page-lead">{lead}</p>}
    </div>
  );
}

/** A titled part of a longer page (My Account's Profile, Sessions...), labelled by its `<h2>`. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * A message box. `error` is announced at once by screen readers (role="alert"); `info` and
 * `success` politely (role="status"). For errors about one field, pass `errors` to `<Form>` instead.
 */
export function Alert({ tone = 'info', title, children }: { tone?: 'error' | 'info' | 'success'; title?: string; children: ReactNode }) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong className="alert-title">{title}</strong>}
      {children}
    </div>
  );
}

/** Label/value pairs, such as a profile: two columns on a desktop, stacked on a phone. */
export function DescriptionList({ items }: { items: readonly { term: string; value: ReactNode }[] }) {
  return (
    <dl className="details">
      {items.map(({ term, value }) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
