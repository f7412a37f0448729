import { Badge } from '../../ui/Badge.tsx';

/** The publisher's name with Entra's verified mark, or "Unverified". */
export function PublisherBadge({ name, verified }: { name: string | null; verified: boolean }) {
  return (
    <span className="badges" data-testid="publisher">
      {name && <span>{name}</span>}
      {verified ? <Badge tone="success">Verified publisher</Badge> : <Badge tone="neutral">Unverified</Badge>}
    </span>
  );
}
