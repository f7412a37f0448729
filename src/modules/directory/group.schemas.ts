import type { BodySpec } from '../../kernel/body.ts';
import { mailNicknameProblem } from './user.schemas.ts';

/**
 * Graph's limits on group properties, as data. Sources: the Graph v1.0 `group` resource page
 * (mailNickname "Maximum length is 64 characters", ASCII only) and its create/update pages
 * (displayName 256, description 1024). Our choice: groupTypes holds at most the two values Graph
 * knows ('Unified', 'DynamicMembership'). (`members@odata.bind` and `owners@odata.bind` take at most
 * 20 references each, as in Graph; groups.service.ts enforces that.)
 */
export const GROUP_LIMITS = {
  displayName: 256,
  description: 1024,
  mailNickname: 64,
  groupTypes: { maxItems: 2, itemMaxLength: 64 },
} as const;

export const groupBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  createdDateTime: { type: 'string', writable: false },
  mail: { type: 'string', writable: false },
  displayName: { type: 'string', maxLength: GROUP_LIMITS.displayName, check: (v: string) => (v.trim() === '' ? 'cannot be empty' : null) },
  description: { type: 'string', nullable: true, maxLength: GROUP_LIMITS.description },
  mailNickname: { type: 'string', maxLength: GROUP_LIMITS.mailNickname, check: mailNicknameProblem },
  mailEnabled: { type: 'boolean' },
  securityEnabled: { type: 'boolean' },
  groupTypes: {
    type: 'stringArray',
    ...GROUP_LIMITS.groupTypes,
    check: (v: string[]) => (v.every((t) => t === 'Unified' || t === 'DynamicMembership') ? null : "allowed values are 'Unified' and 'DynamicMembership'"),
  },
  visibility: {
    type: 'string',
    nullable: true,
    check: (v: string) => (['Private', 'Public', 'HiddenMembership'].includes(v) ? null : "expected 'Private', 'Public' or 'HiddenMembership'"),
  },
  isAssignableToRole: { type: 'boolean' },
};
