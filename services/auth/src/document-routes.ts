import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  AuthError,
  ROLES,
  assertDocumentRole,
  requireUser,
  roleAtLeast,
  type AccessEventBus,
  type AccessTokenVerifier,
  type AuthVariables,
  type Role,
} from '@copycloud/auth-client';
import { isValidDocumentId } from '@copycloud/protocol';
import { jsonBody } from '@copycloud/http';
import type { Logger } from '@copycloud/observability';
import type { Counter } from 'prom-client';
import type { DocumentAccess } from './documents.js';
import { AuthServiceError } from './errors.js';
import type { TokenIssuer } from './token-issuer.js';

const roleSchema = z.enum(ROLES);
const shareRoleSchema = z.enum(['editor', 'commenter', 'viewer']);
export const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a user id');
/** Longest a share link may live: one year. */
export const MAX_SHARE_LINK_HOURS = 24 * 365;

/** The shape of a share link's secret token in `/invite/:token`. */
const INVITE_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** Longest document title, in UTF-16 code units (what the list and the header show). */
export const DOCUMENT_TITLE_MAX_CHARS = 200;
/** C0/C1 controls (tabs and newlines included) and the Unicode line/paragraph separators. */
const TITLE_FORBIDDEN_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;
/** What a title may hold wherever it is set (creating or renaming): trimmed, bounded, one line. */
const titleText = z
  .string()
  .trim()
  .max(DOCUMENT_TITLE_MAX_CHARS, `at most ${DOCUMENT_TITLE_MAX_CHARS} characters`)
  .refine((title) => !TITLE_FORBIDDEN_CHARACTERS.test(title), 'must not contain control characters or line breaks');
/** A rename names the document: the same rules, and not empty. */
export const titleSchema = titleText.min(1, 'must not be empty');
export const renameBody = z.strictObject({ title: titleSchema });
/** Creating: the same rules; no title (or an empty one) leaves it untitled, following the first line. */
export const createBody = z.strictObject({ title: titleText.optional() });
export const shareBody = z.strictObject({
  role: shareRoleSchema,
  expiresInHours: z.number().int('must be whole hours').min(1).max(MAX_SHARE_LINK_HOURS).optional(),
});
export const memberBody = z.strictObject({ userId: userIdSchema, role: roleSchema });
export const removeMemberBody = z.strictObject({ userId: userIdSchema });
export const emptyBody = z.strictObject({});

export interface DocumentRouteDeps {
  access: DocumentAccess;
  issuer: TokenIssuer;
  verifier: AccessTokenVerifier;
  events: AccessEventBus;
  logger: Logger;
  documentTokens: Counter<'role'>;
}

/** `/api/docs/*` and `/api/invites/*`: documents, members, share links, document tokens. */
export function documentRoutes(deps: DocumentRouteDeps): Hono<{ Variables: AuthVariables }> {
  const { access, events, logger } = deps;
  const signedIn = requireUser(deps.verifier);
  const app = new Hono<{ Variables: AuthVariables }>();

  /** The `:id` of the path, 404 when it cannot be a document id (never reaches SQL). */
  function documentIdOf(c: Context): string {
    const id = c.req.param('id');
    if (!isValidDocumentId(id)) throw new AuthError('not_found', 'document not found');
    return id!;
  }

  async function requireRole(c: Context<{ Variables: AuthVariables }>, required: Role): Promise<{ documentId: string; role: Role }> {
    const documentId = documentIdOf(c);
    const role = await assertDocumentRole(access, documentId, c.var.identity, required);
    return { documentId, role };
  }

  async function pushAccessChange(documentId: string, userId: string, role: Role | null): Promise<void> {
    try {
      await events.publish({ type: 'access-changed', documentId, userId, role, at: Date.now() });
    } catch (error) {
      // The change is in Postgres; live sessions pick it up when their token is renewed.
      logger.error({ err: error, documentId, userId }, 'access change could not be pushed to sync nodes');
    }
  }

  app.post('/api/docs', signedIn, jsonBody(createBody), async (c) => {
    const body = c.req.valid('json');
    const doc = await access.create(c.var.identity.userId, body.title ?? '');
    logger.info({ documentId: doc.id, userId: c.var.identity.userId }, 'document created');
    return c.json({ document: doc }, 201);
  });

  app.get('/api/docs', signedIn, async (c) => c.json({ documents: await access.listFor(c.var.identity.userId) }));

  app.get('/api/docs/:id', signedIn, async (c) => {
    const { documentId } = await requireRole(c, 'viewer');
    return c.json({ document: await access.summary(documentId, c.var.identity.userId) });
  });

  // Renaming: editors and owners. The title stops following the first line.
  app.patch('/api/docs/:id', signedIn, jsonBody(renameBody), async (c) => {
    const body = c.req.valid('json');
    const { documentId } = await requireRole(c, 'editor');
    await access.rename(documentId, body.title);
    // The title is document content: never logged.
    logger.info({ documentId, userId: c.var.identity.userId }, 'document renamed');
    try {
      // Open pages show the new name at once (the sync nodes tell their clients).
      await events.publish({ type: 'document-renamed', documentId, title: body.title, at: Date.now() });
    } catch (error) {
      logger.error({ err: error, documentId }, 'rename could not be pushed to sync nodes');
    }
    return c.json({ document: await access.summary(documentId, c.var.identity.userId) });
  });

  app.delete('/api/docs/:id', signedIn, async (c) => {
    const { documentId } = await requireRole(c, 'owner');
    await access.delete(documentId);
    logger.info({ documentId, userId: c.var.identity.userId }, 'document deleted');
    try {
      await events.publish({ type: 'document-deleted', documentId, at: Date.now() });
    } catch (error) {
      logger.error({ err: error, documentId }, 'document deletion could not be pushed to sync nodes');
    }
    return c.body(null, 204);
  });

  app.post('/api/docs/:id/token', signedIn, jsonBody(emptyBody), async (c) => {
    const { documentId, role } = await requireRole(c, 'viewer');
    const identity = c.var.identity;
    const issued = await deps.issuer.documentToken(
      { id: identity.userId, name: identity.name, color: identity.color, guest: identity.guest === true },
      documentId,
      role,
    );
    deps.documentTokens.inc({ role });
    return c.json({ token: issued.token, expiresIn: issued.expiresIn, documentId, role });
  });

  // Share links: editors and owners may share with at most their own role.
  app.post('/api/docs/:id/share', signedIn, jsonBody(shareBody), async (c) => {
    const body = c.req.valid('json');
    const { documentId, role } = await requireRole(c, 'editor');
    if (!roleAtLeast(role, body.role)) throw new AuthError('forbidden', `you cannot share with more than your own role (${role})`);
    const { link, token } = await access.createShareLink(documentId, c.var.identity.userId, body.role, body.expiresInHours);
    logger.info({ documentId, linkId: link.id, role: link.role }, 'share link created');
    return c.json({ link, token, path: `/invite/${token}` }, 201);
  });

  app.get('/api/docs/:id/share', signedIn, async (c) => {
    const { documentId } = await requireRole(c, 'editor');
    return c.json({ links: await access.shareLinks(documentId) });
  });

  app.delete('/api/docs/:id/share/:linkId', signedIn, async (c) => {
    const { documentId } = await requireRole(c, 'owner');
    const linkId = c.req.param('linkId');
    const removed = /^[A-Za-z0-9_-]{1,64}$/.test(linkId) ? await access.revokeShareLink(documentId, linkId) : null;
    if (removed === null) throw new AuthError('not_found', 'share link not found');
    logger.info({ documentId, linkId, removedMembers: removed.length }, 'share link revoked');
    await Promise.all(removed.map((userId) => pushAccessChange(documentId, userId, null)));
    return c.json({ removedMembers: removed });
  });

  // Public: checked before anyone signs in or a guest account is created.
  app.get('/api/invites/:token', async (c) => {
    const token = c.req.param('token');
    const invite = INVITE_TOKEN.test(token) ? await access.previewShareLink(token) : null;
    if (!invite) throw new AuthServiceError('invalid_invite', 'this invite link is invalid, expired or revoked');
    return c.json({ invite });
  });

  app.post('/api/invites/:token/accept', signedIn, jsonBody(emptyBody), async (c) => {
    const token = c.req.param('token');
    const accepted = INVITE_TOKEN.test(token) ? await access.acceptShareLink(token, c.var.identity.userId) : null;
    if (!accepted) throw new AuthServiceError('invalid_invite', 'this invite link is invalid, expired or revoked');
    if (accepted.changed) await pushAccessChange(accepted.documentId, c.var.identity.userId, accepted.role);
    logger.info({ documentId: accepted.documentId, userId: c.var.identity.userId, role: accepted.role }, 'invite accepted');
    return c.json({ documentId: accepted.documentId, role: accepted.role });
  });

  // Members: every member sees the list; owners change roles and remove; anyone may leave.
  app.get('/api/docs/:id/members', signedIn, async (c) => {
    const { documentId } = await requireRole(c, 'viewer');
    return c.json({ members: await access.members(documentId) });
  });

  app.put('/api/docs/:id/members', signedIn, jsonBody(memberBody), async (c) => {
    const body = c.req.valid('json');
    const { documentId } = await requireRole(c, 'owner');
    const outcome = await access.setRole(documentId, body.userId, body.role);
    if (outcome === 'not_member') throw new AuthError('not_found', 'that user is not a member; share a link to add them');
    if (outcome === 'last_owner') throw new AuthServiceError('last_owner', 'a document needs at least one owner');
    await pushAccessChange(documentId, body.userId, body.role);
    logger.info({ documentId, userId: body.userId, role: body.role }, 'member role changed');
    return c.json({ members: await access.members(documentId) });
  });

  async function removeMember(c: Context<{ Variables: AuthVariables }>, userId: string): Promise<Response> {
    const self = userId === c.var.identity.userId;
    const { documentId } = await requireRole(c, self ? 'viewer' : 'owner');
    const outcome = await access.removeMember(documentId, userId);
    if (outcome === 'not_member') throw new AuthError('not_found', 'that user is not a member');
    if (outcome === 'last_owner') throw new AuthServiceError('last_owner', 'a document needs at least one owner');
    await pushAccessChange(documentId, userId, null);
    logger.info({ documentId, userId }, 'member removed');
    return c.json({ members: self ? [] : await access.members(documentId) });
  }

  app.delete('/api/docs/:id/members', signedIn, jsonBody(removeMemberBody), async (c) => removeMember(c, c.req.valid('json').userId));
  app.delete('/api/docs/:id/members/:userId', signedIn, async (c) => {
    const parsed = userIdSchema.safeParse(c.req.param('userId'));
    if (!parsed.success) throw new AuthError('not_found', 'that user is not a member');
    return removeMember(c, parsed.data);
  });

  return app;
}
