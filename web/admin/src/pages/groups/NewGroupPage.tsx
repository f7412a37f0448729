import { useState } from 'react';
import { TextAreaField, TextField } from '../../forms/Fields.tsx';
import { suggestMailNickname } from '../../forms/nicknames.ts';
import { useForm } from '../../forms/useForm.ts';
import { validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { createGroup } from '../../graph/groups.ts';
import { useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button, ButtonLink } from '../../ui/Button.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { groupApiFields, groupRules } from './groupRules.ts';

export function NewGroupPage() {
  const graph = useGraph();
  const navigate = useNavigate();
  // Until the admin types a nickname of their own, it follows the display name.
  const [nicknameTouched, setNicknameTouched] = useState(false);
  const form = useForm({ id: 'new-group', initial: { displayName: '', mailNickname: '', description: '' }, apiFields: groupApiFields });
  const { set } = form;

  const onSubmit = form.submit({
    doing: 'create groups',
    validate: (v) => validate(v, groupRules),
    run: async (v) => {
      const description = v.description.trim();
      const group = await createGroup(graph, {
        displayName: v.displayName.trim(),
        mailNickname: v.mailNickname.trim(),
        // Security groups: the admin center manages access, not mailing lists.
        mailEnabled: false,
        securityEnabled: true,
        ...(description === '' ? {} : { description }),
      });
      navigate(paths.group(group.id), { notice: `${group.displayName} was created.` });
    },
  });

  return (
    <>
      <PageHeader title="New group" subtitle="A security group, for granting access and licenses." back={{ to: paths.groups, label: 'Groups' }} />
      <form className="form" onSubmit={onSubmit} noValidate data-testid="new-group-form">
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <TextField
          label="Display name"
          required
          autoComplete="off"
          {...form.text('displayName')}
          onChange={(value) => {
            set('displayName', value);
            if (!nicknameTouched) set('mailNickname', suggestMailNickname(value));
          }}
        />
        <TextField
          label="Mail nickname"
          required
          autoComplete="off"
          spellCheck={false}
          hint="Filled in from the display name; no spaces."
          {...form.text('mailNickname')}
          onChange={(value) => {
            setNicknameTouched(true);
            set('mailNickname', value);
          }}
        />
        <TextAreaField label="Description" rows={3} {...form.text('description')} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={form.submitting}>
            Create
          </Button>
          <ButtonLink to={paths.groups}>Cancel</ButtonLink>
        </div>
      </form>
    </>
  );
}
