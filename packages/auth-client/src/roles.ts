/** Per-document roles and the editing rule are part of the wire contract (@copycloud/protocol). */
export { ROLES, isRole, roleAtLeast, canEditContent, type Role } from '@copycloud/protocol';
