/**
 * Shapes of the documents API (services/auth) as both sides see them: the
 * service returns these, the editor reads them. One definition, so a field
 * renamed on one side fails the other's build.
 */

/** Per-document roles, weakest first. A viewer's or commenter's connection is read-only. */
export const ROLES = ['viewer', 'commenter', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/**
 * The editing rule, once, for every side: editors and owners change the
 * content (and create invite links); commenters and viewers are read-only on
 * it (sync nodes drop their writes; commenters comment through the review API).
 */
export function canEditContent(role: Role): boolean {
  return roleAtLeast(role, 'editor');
}

/** Roles a share link may grant (never owner). */
export type ShareRole = Exclude<Role, 'owner'>;

/** 'derived': the title follows the first line of the content; 'manual': someone named it. */
export type TitleSource = 'derived' | 'manual';

/** `GET /api/docs` rows, `GET/PATCH /api/docs/:id`. */
export interface DocumentSummary {
  id: string;
  title: string;
  titleSource: TitleSource;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/docs/:id/members` rows. */
export interface Member {
  userId: string;
  name: string;
  color: string;
  guest: boolean;
  role: Role;
}

/**
 * What an invite link leads to, shown before anyone joins or an account is
 * created (`GET /api/invites/:token`): holding the link is what grants it.
 */
export interface InvitePreview {
  documentTitle: string;
  inviterName: string;
  role: ShareRole;
  expiresAt: string | null;
}

/** A share link (its secret token is returned once, when the link is created). */
export interface ShareLink {
  id: string;
  documentId: string;
  role: ShareRole;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}
