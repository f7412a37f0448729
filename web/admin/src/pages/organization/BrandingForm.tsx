import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { useForm } from '../../forms/useForm.ts';
import { hexColor, httpsUrl, validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { getBranding, updateBranding } from '../../graph/organization.ts';
import type { Branding } from '../../graph/types.ts';
import { useResource } from '../../hooks/useResource.ts';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';

/** The sign-in page's logo and background, from Tessera's `/beta` branding extension. */
export function BrandingForm({ organizationId }: { organizationId: string }) {
  const graph = useGraph();
  const branding = useResource((signal) => getBranding(graph, organizationId, signal), [graph, organizationId]);
  const { state } = branding;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the branding" onRetry={branding.reload} />;
  return <BrandingFields organizationId={organizationId} branding={state.data} />;
}

function BrandingFields({ organizationId, branding }: { organizationId: string; branding: Branding }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateBranding);
  const [saved, setSaved] = useState({ logoUrl: branding.logoUrl ?? '', backgroundColor: branding.backgroundColor ?? '' });
  const form = useForm({ id: 'branding', initial: saved, apiFields: { logoUrl: 'logoUrl', backgroundColor: 'backgroundColor' } });
  const { values } = form;

  const onSubmit = form.submit({
    doing: 'change the branding',
    validate: (v) => validate(v, { logoUrl: [httpsUrl], backgroundColor: [hexColor] }),
    run: async (v) => {
      const edited = { logoUrl: v.logoUrl.trim(), backgroundColor: v.backgroundColor.trim() };
      const changes: Branding = {};
      if (edited.logoUrl !== saved.logoUrl) changes.logoUrl = edited.logoUrl || null;
      if (edited.backgroundColor !== saved.backgroundColor) changes.backgroundColor = edited.backgroundColor || null;
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateBranding(graph, organizationId, changes);
      setSaved(edited);
      return 'Saved.';
    },
  });

  const previewColor = hexColor(values.backgroundColor) === null && values.backgroundColor !== '' ? values.backgroundColor : undefined;
  const previewLogo = httpsUrl(values.logoUrl) === null && values.logoUrl !== '' ? values.logoUrl : undefined;

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="branding-form">
      <FormStatus form={form} note={!canEdit && 'You can view the branding but not change it.'} />
      <TextField label="Logo URL" type="url" inputMode="url" disabled={!canEdit} spellCheck={false} hint="An https:// address of an image." {...form.text('logoUrl')} />
      <TextField
        label="Background colour"
        disabled={!canEdit}
        spellCheck={false}
        hint="A hex colour such as #1f4fd1."
        {...form.text('backgroundColor')}
        after={
          <input
            type="color"
            className="color-swatch"
            aria-label="Colour picker"
            disabled={!canEdit}
            value={previewColor ?? '#ffffff'}
            onChange={(event) => form.set('backgroundColor', event.target.value)}
          />
        }
      />
      <figure className="branding-figure">
        <div className="branding-preview" style={previewColor ? { backgroundColor: previewColor } : undefined}>
          {previewLogo ? <img src={previewLogo} alt="Logo" /> : <span className="branding-preview-text">No logo</span>}
        </div>
        <figcaption>Preview of the sign-in page background and logo</figcaption>
      </figure>
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
