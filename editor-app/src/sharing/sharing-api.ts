import type { InvitePreview, Member, ShareLink, ShareRole } from '@copycloud/protocol';
import type { DocumentRole } from '../documents/documents-api.js';
import type { AuthSession } from '../session/auth-session.js';

/** The sharing API's shapes are the wire contract (@copycloud/protocol). */
export type { InvitePreview, Member, ShareLink, ShareRole } from '@copycloud/protocol';

export const SHARE_ROLES: readonly { role: ShareRole; label: string; hint: string }[] = [
  { role: 'editor', label: 'Can edit', hint: 'Edits the text and shares it on' },
  { role: 'commenter', label: 'Can comment', hint: 'Reads along live; cannot change the text' },
  { role: 'viewer', label: 'Can view', hint: 'Reads along live; cannot change the text' },
];

/** Expiry choices for a new link, in hours (the API allows whole hours up to a year). */
export const LINK_EXPIRY_CHOICES: readonly { hours: number | null; label: string }[] = [
  { hours: null, label: 'Never expires' },
  { hours: 24, label: 'Expires in 1 day' },
  { hours: 24 * 7, label: 'Expires in 7 days' },
  { hours: 24 * 30, label: 'Expires in 30 days' },
];

const docPath = (documentId: string) => `/api/docs/${encodeURIComponent(documentId)}`;

export async function createShareLink(
  session: AuthSession,
  documentId: string,
  role: ShareRole,
  expiresInHours: number | null,
): Promise<{ link: ShareLink; url: string }> {
  const body = expiresInHours === null ? { role } : { role, expiresInHours };
  const created = await session.call<{ link: ShareLink; path: string }>('POST', `${docPath(documentId)}/share`, body);
  return { link: created.link, url: new URL(created.path, window.location.origin).toString() };
}

/** Links that still work (the API also returns revoked ones, for the record). */
export async function listShareLinks(session: AuthSession, documentId: string, now: number = Date.now()): Promise<ShareLink[]> {
  const { links } = await session.call<{ links: ShareLink[] }>('GET', `${docPath(documentId)}/share`);
  return links.filter((link) => isActiveLink(link, now));
}

export function isActiveLink(link: ShareLink, now: number): boolean {
  return link.revokedAt === null && (link.expiresAt === null || Date.parse(link.expiresAt) > now);
}

export async function revokeShareLink(session: AuthSession, documentId: string, linkId: string): Promise<void> {
  await session.call<unknown>('DELETE', `${docPath(documentId)}/share/${encodeURIComponent(linkId)}`);
}

export async function listMembers(session: AuthSession, documentId: string): Promise<Member[]> {
  return (await session.call<{ members: Member[] }>('GET', `${docPath(documentId)}/members`)).members;
}

export async function setMemberRole(session: AuthSession, documentId: string, userId: string, role: DocumentRole): Promise<Member[]> {
  return (await session.call<{ members: Member[] }>('PUT', `${docPath(documentId)}/members`, { userId, role })).members;
}

export async function removeMember(session: AuthSession, documentId: string, userId: string): Promise<Member[]> {
  return (await session.call<{ members: Member[] }>('DELETE', `${docPath(documentId)}/members/${encodeURIComponent(userId)}`)).members;
}

export async function acceptInvite(session: AuthSession, token: string): Promise<{ documentId: string; role: DocumentRole }> {
  return session.call('POST', `/api/invites/${encodeURIComponent(token)}/accept`);
}

export function roleLabel(role: DocumentRole): string {
  return role === 'owner' ? 'Owner' : (SHARE_ROLES.find((r) => r.role === role)?.label ?? role);
}

/** Why an invite link cannot be used, checked before anyone signs in or becomes a guest. */
export class InviteUnusableError extends Error {}

/**
 * `GET /api/invites/:token` (no session needed): what the link leads to.
 * Throws InviteUnusableError for a bad, expired or revoked link; other
 * failures (offline) are thrown as they are.
 */
export async function previewInvite(token: string, fetchFn: typeof fetch = (...args) => fetch(...args)): Promise<InvitePreview> {
  const response = await fetchFn(`/api/invites/${encodeURIComponent(token)}`, { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as { invite?: InvitePreview; message?: string };
  if (response.status === 410 || response.status === 404) throw new InviteUnusableError(body.message ?? 'This invite link is invalid, expired or revoked.');
  if (!response.ok || !body.invite) throw new Error(body.message ?? `checking the invite answered ${response.status}`);
  return body.invite;
}

/** "Alice invited you to edit “Q3 plan”." */
export function inviteSentence(invite: InvitePreview): string {
  const access = invite.role === 'editor' ? 'edit' : invite.role === 'commenter' ? 'comment on' : 'view';
  const title = invite.documentTitle.trim() || 'Untitled document';
  return `${invite.inviterName} invited you to ${access} “${title}”.`;
}
