import { ROLES, type Role } from '@copycloud/protocol';

/** Per-document roles are part of the wire contract (@copycloud/protocol). */
export { ROLES, isRole, type Role } from '@copycloud/protocol';

/** True when `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export function canEditContent(role: Role): boolean {
  return roleAtLeast(role, 'editor');
}
