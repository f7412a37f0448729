import type { BodySpec } from '../../kernel/body.ts';
import { mailNicknameProblem } from './user.schemas.ts';

export const groupBodySpec: BodySpec = {
  id: { type: 'string', writable: false },
  createdDateTime: { type: 'string', writable: false },
  mail: { type: 'string', writable: false },
  displayName: { type: 'string', maxLength: 256, check: (v: string) => (v.trim() === '' ? 'cannot be empty' : null) },
  description: { type: 'string', nullable: true, maxLength: 1024 },
  mailNickname: { type: 'string', maxLength: 64, check: mailNicknameProblem },
  mailEnabled: { type: 'boolean' },
  securityEnabled: { type: 'boolean' },
  groupTypes: {
    type: 'stringArray',
    check: (v: string[]) => (v.every((t) => t === 'Unified' || t === 'DynamicMembership') ? null : "allowed values are 'Unified' and 'DynamicMembership'"),
  },
  visibility: {
    type: 'string',
    nullable: true,
    check: (v: string) => (['Private', 'Public', 'HiddenMembership'].includes(v) ? null : "expected 'Private', 'Public' or 'HiddenMembership'"),
  },
  isAssignableToRole: { type: 'boolean' },
};
