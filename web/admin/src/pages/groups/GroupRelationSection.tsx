import { useState } from 'react';
import { ObjectList } from '../../components/ObjectList.tsx';
import { UserPickerDialog } from '../../components/UserPickerDialog.tsx';
import { useGraph } from '../../graph/GraphContext.tsx';
import { addToGroup, type GroupRelation, groupRelationUrl, removeFromGroup } from '../../graph/groups.ts';
import type { DirectoryObject, Group } from '../../graph/types.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { Section } from '../../ui/Section.tsx';

const wording = {
  members: { title: 'Members', add: 'Add member', singular: 'member', plural: 'members' },
  owners: { title: 'Owners', add: 'Add owner', singular: 'owner', plural: 'owners' },
} as const;

/** A group's members or owners: a paged list, Remove per row and "Add …" through the user picker. */
export function GroupRelationSection({ group, relation, canChange }: { group: Group; relation: GroupRelation; canChange: boolean }) {
  const graph = useGraph();
  const words = wording[relation];
  const list = usePagedCollection<DirectoryObject>(groupRelationUrl(group.id, relation));
  const [picking, setPicking] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  return (
    <Section
      title={words.title}
      testId={`group-${relation}`}
      actions={
        canChange && (
          <Button variant="primary" onClick={() => setPicking(true)} data-testid={`add-${words.singular}`}>
            {words.add}
          </Button>
        )
      }
    >
      {added && <Alert tone="success">{added}</Alert>}
      <ObjectList
        list={list}
        noun={words.plural}
        doing={`view the ${words.plural} of this group`}
        empty={`${group.displayName} has no ${words.plural} yet.`}
        remove={canChange ? { run: (object) => removeFromGroup(graph, group.id, relation, object.id), doing: `remove ${words.plural}` } : undefined}
        testId={`group-${relation}-list`}
      />
      {picking && (
        <UserPickerDialog
          title={words.add}
          doing={`add ${words.plural}`}
          onClose={() => setPicking(false)}
          onPick={async (user) => {
            await addToGroup(graph, group.id, relation, user.id);
            setAdded(`Added ${user.displayName || user.userPrincipalName} as ${words.singular === 'owner' ? 'an owner' : 'a member'}.`);
            list.reload();
          }}
        />
      )}
    </Section>
  );
}
