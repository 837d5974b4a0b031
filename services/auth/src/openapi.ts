import { z } from 'zod';
import { ROLES } from '@copycloud/auth-client';
import { bearer, errorResponse, jsonBody, jsonResponse, open, pathParam, type ApiFragment, type Response } from '@copycloud/openapi';
import { guestBody, loginBody, refreshBody, signupBody } from './account-routes.js';
import { createBody, DOCUMENT_TITLE_MAX_CHARS, emptyBody, memberBody, MAX_SHARE_LINK_HOURS, removeMemberBody, renameBody, shareBody, userIdSchema } from './document-routes.js';
import type { DocumentSummary, Member, ShareLink } from './documents.js';
import type { User } from './users.js';

// Response shapes: the services build them from TypeScript types, so each zod
// description is checked against its type (`satisfies`) and cannot lose a field.
const roleSchema = z.enum(ROLES);
const timestamp = z.iso.datetime();
const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable().describe('null for guests'),
  name: z.string(),
  color: z.string().describe('CSS colour for carets and avatars'),
  guest: z.boolean(),
  createdAt: timestamp,
}) satisfies z.ZodType<User>;
const sessionSchema = z.object({
  user: userSchema,
  accessToken: z.string().describe('JWT, `aud: copycloud`; send as `Authorization: Bearer …`'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  refreshToken: z.string().describe('single use: `POST /api/auth/refresh` returns the next one'),
});
const documentSchema = z.object({
  id: z.string(),
  title: z.string().describe('empty until the document has a first line or a name; clients show "Untitled document"'),
  titleSource: z
    .enum(['derived', 'manual'])
    .describe('`derived`: the title follows the first non-empty paragraph or heading (at most 80 characters, updated after a pause in editing); `manual`: renamed by a person'),
  role: roleSchema.describe("the caller's role"),
  createdAt: timestamp,
  updatedAt: timestamp,
}) satisfies z.ZodType<DocumentSummary>;
const memberSchema = z.object({ userId: z.string(), name: z.string(), color: z.string(), guest: z.boolean(), role: roleSchema }) satisfies z.ZodType<Member>;
const shareLinkSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  role: z.enum(['editor', 'commenter', 'viewer']),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
}) satisfies z.ZodType<ShareLink>;
const membersSchema = z.object({ members: z.array(memberSchema) });
const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })) });

const documentId = pathParam('id', 'document id', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' });
const unauthorized = errorResponse('missing, invalid or expired access token');
const invalidBody = errorResponse('body is not JSON or does not match the schema (`invalid_request`, with `issues`)');
const tooLarge = errorResponse('body over the size limit (`payload_too_large`)');
const notFound = errorResponse('no such document, or the caller has no role on it (`not_found`)');
const forbidden = errorResponse("the caller's role is too low (`forbidden`)");
const rateLimited: Response = { ...errorResponse('too many attempts (`rate_limited`)'), headers: { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } } };
const noContent: Response = { description: 'done, no body' };
const emptyJson = jsonBody(emptyBody, { required: false, description: 'empty, or `{}`' });

const account = ['auth'];
const documents = ['documents'];
const sharing = ['sharing'];

/** Every route of the auth service (`createAuthService().app`). */
export const authApiFragment: ApiFragment = {
  service: 'auth',
  tags: [
    { name: 'auth', description: 'Accounts, guests and sessions. Access tokens live at most 15 minutes; refresh tokens rotate on every use.' },
    { name: 'documents', description: 'Documents the caller is a member of, and document tokens for the sync nodes.' },
    { name: 'sharing', description: 'Share links (invites) and members. Editors share with at most their own role; owners manage members.' },
  ],
  paths: {
    '/api/auth/signup': {
      post: {
        operationId: 'signup',
        summary: 'Create an account (email + password) and sign in',
        tags: account,
        security: open,
        requestBody: jsonBody(signupBody),
        responses: { '201': jsonResponse('signed in', sessionSchema), '400': invalidBody, '409': errorResponse('email already used (`email_taken`)'), '413': tooLarge, '429': rateLimited },
      },
    },
    '/api/auth/login': {
      post: {
        operationId: 'login',
        summary: 'Sign in with email and password',
        tags: account,
        security: open,
        requestBody: jsonBody(loginBody),
        responses: { '200': jsonResponse('signed in', sessionSchema), '400': invalidBody, '401': errorResponse('wrong email or password (`invalid_credentials`)'), '413': tooLarge, '429': rateLimited },
      },
    },
    '/api/auth/guest': {
      post: {
        operationId: 'guest',
        summary: 'Create a guest account (random name and colour unless named) and sign in',
        tags: account,
        security: open,
        requestBody: jsonBody(guestBody, { required: false }),
        responses: { '201': jsonResponse('signed in as a new guest', sessionSchema), '400': invalidBody, '413': tooLarge, '429': rateLimited },
      },
    },
    '/api/auth/refresh': {
      post: {
        operationId: 'refresh',
        summary: 'Trade a refresh token for a new access token and the next refresh token',
        description: 'Each refresh token works once. Presenting a spent one again revokes its whole session (theft detection).',
        tags: account,
        security: open,
        requestBody: jsonBody(refreshBody),
        responses: { '200': jsonResponse('new tokens', sessionSchema), '400': invalidBody, '401': errorResponse('refresh token unknown, spent or revoked (`invalid_refresh_token`)'), '413': tooLarge },
      },
    },
    '/api/auth/logout': {
      post: {
        operationId: 'logout',
        summary: "Revoke this refresh token's session",
        tags: account,
        security: open,
        requestBody: jsonBody(refreshBody),
        responses: { '204': noContent, '400': invalidBody, '413': tooLarge },
      },
    },
    '/api/auth/me': {
      get: {
        operationId: 'me',
        summary: 'The signed-in account',
        tags: account,
        security: bearer,
        responses: { '200': jsonResponse('the account', z.object({ user: userSchema })), '401': unauthorized },
      },
    },
    '/api/auth/logout-all': {
      post: {
        operationId: 'logoutAll',
        summary: "Log out everywhere: revoke every refresh token of the caller",
        tags: account,
        security: bearer,
        requestBody: emptyJson,
        responses: { '200': jsonResponse('how many sessions were revoked', z.object({ revoked: z.number().int() })), '400': invalidBody, '401': unauthorized },
      },
    },
    '/api/auth/upgrade': {
      post: {
        operationId: 'upgradeGuest',
        summary: 'Turn the calling guest into a full account (same id, keeps its documents)',
        tags: account,
        security: bearer,
        requestBody: jsonBody(signupBody),
        responses: {
          '200': jsonResponse('upgraded and signed in', sessionSchema),
          '400': invalidBody,
          '401': unauthorized,
          '409': errorResponse('not a guest (`not_a_guest`) or email already used (`email_taken`)'),
        },
      },
    },
    '/.well-known/jwks.json': {
      get: {
        operationId: 'jwks',
        summary: 'Public signing keys (JWKS) that sync nodes and sidecars verify tokens against',
        description: 'Retired keys stay listed until the tokens they signed have expired.',
        tags: account,
        security: open,
        responses: { '200': jsonResponse('the key set (cacheable for 60 s)', jwksSchema) },
      },
    },
    '/api/docs': {
      post: {
        operationId: 'createDocument',
        summary: 'Create a document; the caller becomes its owner',
        tags: documents,
        security: bearer,
        requestBody: jsonBody(createBody, { required: false }),
        responses: { '201': jsonResponse('created', z.object({ document: documentSchema })), '400': invalidBody, '401': unauthorized, '413': tooLarge },
      },
      get: {
        operationId: 'listDocuments',
        summary: "The caller's documents, with the caller's role on each",
        tags: documents,
        security: bearer,
        responses: { '200': jsonResponse('documents', z.object({ documents: z.array(documentSchema) })), '401': unauthorized },
      },
    },
    '/api/docs/{id}': {
      get: {
        operationId: 'getDocument',
        summary: 'One document (any role)',
        tags: documents,
        security: bearer,
        parameters: [documentId],
        responses: { '200': jsonResponse('the document', z.object({ document: documentSchema })), '401': unauthorized, '404': notFound },
      },
      patch: {
        operationId: 'renameDocument',
        summary: 'Rename a document (editor or owner)',
        description: `The title is trimmed and must be 1-${DOCUMENT_TITLE_MAX_CHARS} characters without control characters or line breaks. From then on it no longer follows the first line (\`titleSource: manual\`).`,
        tags: documents,
        security: bearer,
        parameters: [documentId],
        requestBody: jsonBody(renameBody),
        responses: {
          '200': jsonResponse('the renamed document', z.object({ document: documentSchema })),
          '400': invalidBody,
          '401': unauthorized,
          '403': forbidden,
          '404': notFound,
          '413': tooLarge,
        },
      },
      delete: {
        operationId: 'deleteDocument',
        summary: 'Delete a document (owner); connected clients are disconnected',
        tags: documents,
        security: bearer,
        parameters: [documentId],
        responses: { '204': noContent, '401': unauthorized, '403': forbidden, '404': notFound },
      },
    },
    '/api/docs/{id}/token': {
      post: {
        operationId: 'createDocumentToken',
        summary: 'A document token for the sync nodes (`aud: copycloud-sync`, with `doc` and `role`)',
        description: 'Send it in the Hocuspocus auth message on `/sync?doc=ID`, or as `?token=` on `/yjs/ID`. Lives at most 15 minutes; fetch a new one per (re)connect.',
        tags: documents,
        security: bearer,
        parameters: [documentId],
        requestBody: emptyJson,
        responses: {
          '200': jsonResponse('the token', z.object({ token: z.string(), expiresIn: z.number().int().describe('seconds'), documentId: z.string(), role: roleSchema })),
          '400': invalidBody,
          '401': unauthorized,
          '404': notFound,
        },
      },
    },
    '/api/docs/{id}/share': {
      post: {
        operationId: 'createShareLink',
        summary: 'Create a share link (editor or owner; at most your own role)',
        description: `\`expiresInHours\` is at most ${MAX_SHARE_LINK_HOURS} (one year); without it the link does not expire. The token is shown once: only its hash is stored.`,
        tags: sharing,
        security: bearer,
        parameters: [documentId],
        requestBody: jsonBody(shareBody),
        responses: {
          '201': jsonResponse('the link; `path` is the editor route that accepts it', z.object({ link: shareLinkSchema, token: z.string(), path: z.string() })),
          '400': invalidBody,
          '401': unauthorized,
          '403': forbidden,
          '404': notFound,
        },
      },
      get: {
        operationId: 'listShareLinks',
        summary: "A document's share links (editor or owner)",
        tags: sharing,
        security: bearer,
        parameters: [documentId],
        responses: { '200': jsonResponse('links', z.object({ links: z.array(shareLinkSchema) })), '401': unauthorized, '403': forbidden, '404': notFound },
      },
    },
    '/api/docs/{id}/share/{linkId}': {
      delete: {
        operationId: 'revokeShareLink',
        summary: 'Revoke a share link (owner); members who joined through it lose access at once',
        tags: sharing,
        security: bearer,
        parameters: [documentId, pathParam('linkId', 'share link id')],
        responses: {
          '200': jsonResponse('revoked; the user ids removed with it', z.object({ removedMembers: z.array(z.string()) })),
          '401': unauthorized,
          '403': forbidden,
          '404': errorResponse('no such document or link (`not_found`)'),
        },
      },
    },
    '/api/invites/{token}': {
      get: {
        operationId: 'previewInvite',
        summary: 'What a share link leads to (document title, who shared it, role), before signing in',
        tags: sharing,
        security: open,
        parameters: [pathParam('token', 'the share link token', { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}$' })],
        responses: {
          '200': jsonResponse(
            'the invite',
            z.object({ invite: z.object({ documentTitle: z.string(), inviterName: z.string(), role: z.enum(['editor', 'commenter', 'viewer']), expiresAt: z.string().nullable() }) }),
          ),
          '410': errorResponse('invalid, expired or revoked link (`invalid_invite`)'),
        },
      },
    },
    '/api/invites/{token}/accept': {
      post: {
        operationId: 'acceptInvite',
        summary: 'Join a document through a share link (never lowers an existing role)',
        tags: sharing,
        security: bearer,
        parameters: [pathParam('token', 'the share link token', { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}$' })],
        requestBody: emptyJson,
        responses: {
          '200': jsonResponse('joined', z.object({ documentId: z.string(), role: roleSchema })),
          '400': invalidBody,
          '401': unauthorized,
          '410': errorResponse('invalid, expired or revoked link (`invalid_invite`)'),
        },
      },
    },
    '/api/docs/{id}/members': {
      get: {
        operationId: 'listMembers',
        summary: "A document's members (any role)",
        tags: sharing,
        security: bearer,
        parameters: [documentId],
        responses: { '200': jsonResponse('members', membersSchema), '401': unauthorized, '404': notFound },
      },
      put: {
        operationId: 'setMemberRole',
        summary: "Change a member's role (owner); live connections see it within seconds",
        tags: sharing,
        security: bearer,
        parameters: [documentId],
        requestBody: jsonBody(memberBody),
        responses: {
          '200': jsonResponse('members after the change', membersSchema),
          '400': invalidBody,
          '401': unauthorized,
          '403': forbidden,
          '404': errorResponse('no such document, or that user is not a member (`not_found`)'),
          '409': errorResponse('would leave the document without an owner (`last_owner`)'),
        },
      },
      delete: {
        operationId: 'removeMember',
        summary: 'Remove a member (owner), or leave (any member, own user id)',
        tags: sharing,
        security: bearer,
        parameters: [documentId],
        requestBody: jsonBody(removeMemberBody),
        responses: {
          '200': jsonResponse('members after the change (empty when you left)', membersSchema),
          '400': invalidBody,
          '401': unauthorized,
          '403': forbidden,
          '404': errorResponse('no such document, or that user is not a member (`not_found`)'),
          '409': errorResponse('would leave the document without an owner (`last_owner`)'),
        },
      },
    },
    '/api/docs/{id}/members/{userId}': {
      delete: {
        operationId: 'removeMemberById',
        summary: 'Remove a member by id (owner), or leave (any member, own user id)',
        tags: sharing,
        security: bearer,
        parameters: [documentId, pathParam('userId', 'user id', userIdSchema)],
        responses: {
          '200': jsonResponse('members after the change (empty when you left)', membersSchema),
          '401': unauthorized,
          '403': forbidden,
          '404': errorResponse('no such document, or that user is not a member (`not_found`)'),
          '409': errorResponse('would leave the document without an owner (`last_owner`)'),
        },
      },
    },
  },
};
