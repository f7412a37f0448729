import { paths } from '../router/routes.ts';
import { ButtonLink } from '../ui/Button.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>There is no admin center page at this address.</p>
      <ButtonLink to={paths.overview}>Go to the overview</ButtonLink>
    </>
  );
}
