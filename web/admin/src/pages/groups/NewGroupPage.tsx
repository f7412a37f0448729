import { TextAreaField, TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { MailNicknameField, useSuggestedNickname } from '../../forms/MailNicknameField.tsx';
import { useForm } from '../../forms/useForm.ts';
import { validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { createGroup } from '../../graph/groups.ts';
import { useNavigate } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { groupApiFields, groupRules } from './groupRules.ts';

export function NewGroupPage() {
  const graph = useGraph();
  const navigate = useNavigate();
  const form = useForm({ id: 'new-group', initial: { displayName: '', mailNickname: '', description: '' }, apiFields: groupApiFields });
  const { set } = form;
  const nickname = useSuggestedNickname((value) => set('mailNickname', value));

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
        <FormStatus form={form} />
        <TextField
          label="Display name"
          required
          autoComplete="off"
          {...form.text('displayName')}
          onChange={(value) => {
            set('displayName', value);
            nickname.follow(value);
          }}
        />
        <MailNicknameField hint="Filled in from the display name; no spaces." {...form.text('mailNickname')} onChange={nickname.edit} />
        <TextAreaField label="Description" rows={3} {...form.text('description')} />
        <FormActions submitting={form.submitting} label="Create" cancelTo={paths.groups} />
      </form>
    </>
  );
}
