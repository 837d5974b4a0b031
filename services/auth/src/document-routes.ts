import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
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
import { bearer, createApiApp, documentIdParam, errorResponse, jsonRequest, jsonResponse, open, unauthorized } from '@copycloud/openapi';
import type { Logger } from '@copycloud/observability';
import type { Counter } from 'prom-client';
import {
  documentSchema,
  documentTokenSchema,
  forbidden,
  invalidBody,
  inviteSchema,
  inviteTokenParam,
  joinedSchema,
  membersSchema,
  noContent,
  notFound,
  shareLinkSchema,
  tooLarge,
} from './api-schemas.js';
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

const documents = ['documents'];
const sharing = ['sharing'];
const emptyJson = jsonRequest(emptyBody, { required: false, description: 'empty, or `{}`' });
const onDocument = { params: z.object({ id: documentIdParam }) };
const memberNotFound = errorResponse('no such document, or that user is not a member (`not_found`)');
const lastOwner = errorResponse('would leave the document without an owner (`last_owner`)');
const invalidInvite = errorResponse('invalid, expired or revoked link (`invalid_invite`)');

const createDocumentRoute = createRoute({
  method: 'post',
  path: '/api/docs',
  operationId: 'createDocument',
  summary: 'Create a document; the caller becomes its owner',
  tags: documents,
  security: bearer,
  request: { body: jsonRequest(createBody, { required: false }) },
  responses: { 201: jsonResponse('created', z.object({ document: documentSchema })), 400: invalidBody, 401: unauthorized, 413: tooLarge },
});

const listDocumentsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  operationId: 'listDocuments',
  summary: "The caller's documents, with the caller's role on each",
  tags: documents,
  security: bearer,
  responses: { 200: jsonResponse('documents', z.object({ documents: z.array(documentSchema) })), 401: unauthorized },
});

const getDocumentRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}',
  operationId: 'getDocument',
  summary: 'One document (any role)',
  tags: documents,
  security: bearer,
  request: onDocument,
  responses: { 200: jsonResponse('the document', z.object({ document: documentSchema })), 401: unauthorized, 404: notFound },
});

const renameDocumentRoute = createRoute({
  method: 'patch',
  path: '/api/docs/{id}',
  operationId: 'renameDocument',
  summary: 'Rename a document (editor or owner)',
  description: `The title is trimmed and must be 1-${DOCUMENT_TITLE_MAX_CHARS} characters without control characters or line breaks. From then on it no longer follows the first line (\`titleSource: manual\`).`,
  tags: documents,
  security: bearer,
  request: { ...onDocument, body: jsonRequest(renameBody) },
  responses: {
    200: jsonResponse('the renamed document', z.object({ document: documentSchema })),
    400: invalidBody,
    401: unauthorized,
    403: forbidden,
    404: notFound,
    413: tooLarge,
  },
});

const deleteDocumentRoute = createRoute({
  method: 'delete',
  path: '/api/docs/{id}',
  operationId: 'deleteDocument',
  summary: 'Delete a document (owner); connected clients are disconnected',
  tags: documents,
  security: bearer,
  request: onDocument,
  responses: { 204: noContent, 401: unauthorized, 403: forbidden, 404: notFound },
});

const documentTokenRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/token',
  operationId: 'createDocumentToken',
  summary: 'A document token for the sync nodes (`aud: copycloud-sync`, with `doc` and `role`)',
  description: 'Send it in the Hocuspocus auth message on `/sync?doc=ID`, or as `?token=` on `/yjs/ID`. Lives at most 15 minutes; fetch a new one per (re)connect.',
  tags: documents,
  security: bearer,
  request: { ...onDocument, body: emptyJson },
  responses: { 200: jsonResponse('the token', documentTokenSchema), 400: invalidBody, 401: unauthorized, 404: notFound },
});

const createShareLinkRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/share',
  operationId: 'createShareLink',
  summary: 'Create a share link (editor or owner; at most your own role)',
  description: `\`expiresInHours\` is at most ${MAX_SHARE_LINK_HOURS} (one year); without it the link does not expire. The token is shown once: only its hash is stored.`,
  tags: sharing,
  security: bearer,
  request: { ...onDocument, body: jsonRequest(shareBody) },
  responses: {
    201: jsonResponse('the link; `path` is the editor route that accepts it', z.object({ link: shareLinkSchema, token: z.string(), path: z.string() })),
    400: invalidBody,
    401: unauthorized,
    403: forbidden,
    404: notFound,
  },
});

const listShareLinksRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/share',
  operationId: 'listShareLinks',
  summary: "A document's share links (editor or owner)",
  tags: sharing,
  security: bearer,
  request: onDocument,
  responses: { 200: jsonResponse('links', z.object({ links: z.array(shareLinkSchema) })), 401: unauthorized, 403: forbidden, 404: notFound },
});

const revokeShareLinkRoute = createRoute({
  method: 'delete',
  path: '/api/docs/{id}/share/{linkId}',
  operationId: 'revokeShareLink',
  summary: 'Revoke a share link (owner); members who joined through it lose access at once',
  tags: sharing,
  security: bearer,
  request: { params: z.object({ id: documentIdParam, linkId: z.string().openapi({ param: { name: 'linkId', in: 'path' }, description: 'share link id' }) }) },
  responses: {
    200: jsonResponse('revoked; the user ids removed with it', z.object({ removedMembers: z.array(z.string()) })),
    401: unauthorized,
    403: forbidden,
    404: errorResponse('no such document or link (`not_found`)'),
  },
});

const previewInviteRoute = createRoute({
  method: 'get',
  path: '/api/invites/{token}',
  operationId: 'previewInvite',
  summary: 'What a share link leads to (document title, who shared it, role), before signing in',
  tags: sharing,
  security: open,
  request: { params: z.object({ token: inviteTokenParam }) },
  responses: { 200: jsonResponse('the invite', z.object({ invite: inviteSchema })), 410: invalidInvite },
});

const acceptInviteRoute = createRoute({
  method: 'post',
  path: '/api/invites/{token}/accept',
  operationId: 'acceptInvite',
  summary: 'Join a document through a share link (never lowers an existing role)',
  tags: sharing,
  security: bearer,
  request: { params: z.object({ token: inviteTokenParam }), body: emptyJson },
  responses: { 200: jsonResponse('joined', joinedSchema), 400: invalidBody, 401: unauthorized, 410: invalidInvite },
});

const listMembersRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/members',
  operationId: 'listMembers',
  summary: "A document's members (any role)",
  tags: sharing,
  security: bearer,
  request: onDocument,
  responses: { 200: jsonResponse('members', membersSchema), 401: unauthorized, 404: notFound },
});

const setMemberRoleRoute = createRoute({
  method: 'put',
  path: '/api/docs/{id}/members',
  operationId: 'setMemberRole',
  summary: "Change a member's role (owner); live connections see it within seconds",
  tags: sharing,
  security: bearer,
  request: { ...onDocument, body: jsonRequest(memberBody) },
  responses: { 200: jsonResponse('members after the change', membersSchema), 400: invalidBody, 401: unauthorized, 403: forbidden, 404: memberNotFound, 409: lastOwner },
});

const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/api/docs/{id}/members',
  operationId: 'removeMember',
  summary: 'Remove a member (owner), or leave (any member, own user id)',
  tags: sharing,
  security: bearer,
  request: { ...onDocument, body: jsonRequest(removeMemberBody) },
  responses: {
    200: jsonResponse('members after the change (empty when you left)', membersSchema),
    400: invalidBody,
    401: unauthorized,
    403: forbidden,
    404: memberNotFound,
    409: lastOwner,
  },
});

const removeMemberByIdRoute = createRoute({
  method: 'delete',
  path: '/api/docs/{id}/members/{userId}',
  operationId: 'removeMemberById',
  summary: 'Remove a member by id (owner), or leave (any member, own user id)',
  tags: sharing,
  security: bearer,
  request: { params: z.object({ id: documentIdParam, userId: z.string().openapi({ param: { name: 'userId', in: 'path' }, description: 'user id', pattern: '^[A-Za-z0-9_-]{1,64}$' }) }) },
  responses: { 200: jsonResponse('members after the change (empty when you left)', membersSchema), 401: unauthorized, 403: forbidden, 404: memberNotFound, 409: lastOwner },
});

/** The definitions `documentRoutes` registers, for the API document. */
export const documentApiRoutes = [
  createDocumentRoute,
  listDocumentsRoute,
  getDocumentRoute,
  renameDocumentRoute,
  deleteDocumentRoute,
  documentTokenRoute,
  createShareLinkRoute,
  listShareLinksRoute,
  revokeShareLinkRoute,
  previewInviteRoute,
  acceptInviteRoute,
  listMembersRoute,
  setMemberRoleRoute,
  removeMemberRoute,
  removeMemberByIdRoute,
];

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
  const app = createApiApp<{ Variables: AuthVariables }>();
  const signedInOnly = { middleware: signedIn };

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

  /** The document as the caller sees it; gone since the role check (deleted meanwhile) is a 404 like any missing document. */
  async function summaryFor(documentId: string, userId: string) {
    const summary = await access.summary(documentId, userId);
    if (!summary) throw new AuthError('not_found', 'document not found');
    return summary;
  }

  async function pushAccessChange(documentId: string, userId: string, role: Role | null): Promise<void> {
    try {
      await events.publish({ type: 'access-changed', documentId, userId, role, at: Date.now() });
    } catch (error) {
      // The change is in Postgres; live sessions pick it up when their token is renewed.
      logger.error({ err: error, documentId, userId }, 'access change could not be pushed to sync nodes');
    }
  }

  app.openapi({ ...createDocumentRoute, ...signedInOnly }, async (c) => {
    const body = c.req.valid('json');
    const doc = await access.create(c.var.identity.userId, body.title ?? '');
    logger.info({ documentId: doc.id, userId: c.var.identity.userId }, 'document created');
    return c.json({ document: doc }, 201);
  });

  app.openapi({ ...listDocumentsRoute, ...signedInOnly }, async (c) => c.json({ documents: await access.listFor(c.var.identity.userId) }, 200));

  app.openapi({ ...getDocumentRoute, ...signedInOnly }, async (c) => {
    const { documentId } = await requireRole(c, 'viewer');
    return c.json({ document: await summaryFor(documentId, c.var.identity.userId) }, 200);
  });

  // Renaming: editors and owners. The title stops following the first line.
  app.openapi({ ...renameDocumentRoute, ...signedInOnly }, async (c) => {
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
    return c.json({ document: await summaryFor(documentId, c.var.identity.userId) }, 200);
  });

  app.openapi({ ...deleteDocumentRoute, ...signedInOnly }, async (c) => {
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

  app.openapi({ ...documentTokenRoute, ...signedInOnly }, async (c) => {
    const { documentId, role } = await requireRole(c, 'viewer');
    const identity = c.var.identity;
    const issued = await deps.issuer.documentToken(
      { id: identity.userId, name: identity.name, color: identity.color, guest: identity.guest === true },
      documentId,
      role,
    );
    deps.documentTokens.inc({ role });
    return c.json({ token: issued.token, expiresIn: issued.expiresIn, documentId, role }, 200);
  });

  // Share links: editors and owners may share with at most their own role.
  app.openapi({ ...createShareLinkRoute, ...signedInOnly }, async (c) => {
    const body = c.req.valid('json');
    const { documentId, role } = await requireRole(c, 'editor');
    if (!roleAtLeast(role, body.role)) throw new AuthError('forbidden', `you cannot share with more than your own role (${role})`);
    const { link, token } = await access.createShareLink(documentId, c.var.identity.userId, body.role, body.expiresInHours);
    logger.info({ documentId, linkId: link.id, role: link.role }, 'share link created');
    return c.json({ link, token, path: `/invite/${token}` }, 201);
  });

  app.openapi({ ...listShareLinksRoute, ...signedInOnly }, async (c) => {
    const { documentId } = await requireRole(c, 'editor');
    return c.json({ links: await access.shareLinks(documentId) }, 200);
  });

  app.openapi({ ...revokeShareLinkRoute, ...signedInOnly }, async (c) => {
    const { documentId } = await requireRole(c, 'owner');
    const linkId = c.req.param('linkId');
    const removed = /^[A-Za-z0-9_-]{1,64}$/.test(linkId) ? await access.revokeShareLink(documentId, linkId) : null;
    if (removed === null) throw new AuthError('not_found', 'share link not found');
    logger.info({ documentId, linkId, removedMembers: removed.length }, 'share link revoked');
    await Promise.all(removed.map((userId) => pushAccessChange(documentId, userId, null)));
    return c.json({ removedMembers: removed }, 200);
  });

  // Public: checked before anyone signs in or a guest account is created.
  app.openapi(previewInviteRoute, async (c) => {
    const token = c.req.param('token');
    const invite = INVITE_TOKEN.test(token) ? await access.previewShareLink(token) : null;
    if (!invite) throw new AuthServiceError('invalid_invite', 'this invite link is invalid, expired or revoked');
    return c.json({ invite }, 200);
  });

  app.openapi({ ...acceptInviteRoute, ...signedInOnly }, async (c) => {
    const token = c.req.param('token');
    const accepted = INVITE_TOKEN.test(token) ? await access.acceptShareLink(token, c.var.identity.userId) : null;
    if (!accepted) throw new AuthServiceError('invalid_invite', 'this invite link is invalid, expired or revoked');
    if (accepted.changed) await pushAccessChange(accepted.documentId, c.var.identity.userId, accepted.role);
    logger.info({ documentId: accepted.documentId, userId: c.var.identity.userId, role: accepted.role }, 'invite accepted');
    return c.json({ documentId: accepted.documentId, role: accepted.role }, 200);
  });

  // Members: every member sees the list; owners change roles and remove; anyone may leave.
  app.openapi({ ...listMembersRoute, ...signedInOnly }, async (c) => {
    const { documentId } = await requireRole(c, 'viewer');
    return c.json({ members: await access.members(documentId) }, 200);
  });

  app.openapi({ ...setMemberRoleRoute, ...signedInOnly }, async (c) => {
    const body = c.req.valid('json');
    const { documentId } = await requireRole(c, 'owner');
    const outcome = await access.setRole(documentId, body.userId, body.role);
    if (outcome === 'not_member') throw new AuthError('not_found', 'that user is not a member; share a link to add them');
    if (outcome === 'last_owner') throw new AuthServiceError('last_owner', 'a document needs at least one owner');
    await pushAccessChange(documentId, body.userId, body.role);
    logger.info({ documentId, userId: body.userId, role: body.role }, 'member role changed');
    return c.json({ members: await access.members(documentId) }, 200);
  });

  async function removeMember(c: Context<{ Variables: AuthVariables }>, userId: string) {
    const self = userId === c.var.identity.userId;
    const { documentId } = await requireRole(c, self ? 'viewer' : 'owner');
    const outcome = await access.removeMember(documentId, userId);
    if (outcome === 'not_member') throw new AuthError('not_found', 'that user is not a member');
    if (outcome === 'last_owner') throw new AuthServiceError('last_owner', 'a document needs at least one owner');
    await pushAccessChange(documentId, userId, null);
    logger.info({ documentId, userId }, 'member removed');
    return c.json({ members: self ? [] : await access.members(documentId) }, 200);
  }

  app.openapi({ ...removeMemberRoute, ...signedInOnly }, async (c) => removeMember(c, c.req.valid('json').userId));
  app.openapi({ ...removeMemberByIdRoute, ...signedInOnly }, async (c) => {
    const parsed = userIdSchema.safeParse(c.req.param('userId'));
    if (!parsed.success) throw new AuthError('not_found', 'that user is not a member');
    return removeMember(c, parsed.data);
  });

  return app;
}
