import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { TextAreaField, TextField } from '../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../forms/FormParts.tsx';
import { useForm } from '../../forms/useForm.ts';
import { validate } from '../../forms/validators.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { type GroupChanges, updateGroup } from '../../graph/groups.ts';
import type { Group } from '../../graph/types.ts';
import { groupApiFields, groupRules } from './groupRules.ts';

function propertiesOf(group: Group) {
  return { displayName: group.displayName, mailNickname: group.mailNickname ?? '', description: group.description ?? '' };
}

export function GroupPropertiesForm({ group, onSaved }: { group: Group; onSaved(): void }) {
  const graph = useGraph();
  const canEdit = useAccess().can(Actions.updateGroups);
  const [saved, setSaved] = useState(() => propertiesOf(group));
  const form = useForm({ id: 'group-properties', initial: saved, apiFields: groupApiFields });

  const onSubmit = form.submit({
    doing: 'change groups',
    validate: (v) => validate(v, groupRules),
    run: async (v) => {
      const edited = { displayName: v.displayName.trim(), mailNickname: v.mailNickname.trim(), description: v.description.trim() };
      const changes: GroupChanges = {};
      if (edited.displayName !== saved.displayName) changes.displayName = edited.displayName;
      if (edited.mailNickname !== saved.mailNickname) changes.mailNickname = edited.mailNickname;
      // An emptied description is removed (null), as Graph expects.
      if (edited.description !== saved.description) changes.description = edited.description === '' ? null : edited.description;
      if (Object.keys(changes).length === 0) return 'Nothing to save.';
      await updateGroup(graph, group.id, changes);
      setSaved(edited);
      onSaved();
      return 'Saved.';
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="group-properties-form">
      <FormStatus form={form} note={!canEdit && 'You can view this group but not change it.'} />
      <TextField label="Display name" required disabled={!canEdit} {...form.text('displayName')} />
      <TextField label="Mail nickname" required disabled={!canEdit} spellCheck={false} {...form.text('mailNickname')} />
      <TextAreaField label="Description" rows={3} disabled={!canEdit} {...form.text('description')} />
      {canEdit && <FormActions submitting={form.submitting} />}
    </form>
  );
}
