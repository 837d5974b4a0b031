import { z } from '@hono/zod-openapi';
import { ROLES } from '@copycloud/auth-client';
import { errorResponse } from '@copycloud/openapi';
import type { DocumentSummary, Member, ShareLink } from './documents.js';
import type { User } from './users.js';

// Response shapes for the route definitions: the services build them from
// TypeScript types, so each zod description is checked against its type
// (`satisfies`) and cannot lose a field.
const roleSchema = z.enum(ROLES);
const timestamp = z.iso.datetime();
export const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable().describe('null for guests'),
  name: z.string(),
  color: z.string().describe('CSS colour for carets and avatars'),
  guest: z.boolean(),
  createdAt: timestamp,
}) satisfies z.ZodType<User>;
export const sessionSchema = z.object({
  user: userSchema,
  accessToken: z.string().describe('JWT, `aud: copycloud`; send as `Authorization: Bearer …`'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  refreshToken: z.string().describe('single use: `POST /api/auth/refresh` returns the next one'),
});
export const documentSchema = z.object({
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
export const shareLinkSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  role: z.enum(['editor', 'commenter', 'viewer']),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
}) satisfies z.ZodType<ShareLink>;
export const membersSchema = z.object({ members: z.array(memberSchema) });
export const documentTokenSchema = z.object({ token: z.string(), expiresIn: z.number().int().describe('seconds'), documentId: z.string(), role: roleSchema });
export const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })) });
export const inviteSchema = z.object({ documentTitle: z.string(), inviterName: z.string(), role: z.enum(['editor', 'commenter', 'viewer']), expiresAt: z.string().nullable() });
export const joinedSchema = z.object({ documentId: z.string(), role: roleSchema });

// Documented, not validated by the route: a malformed token is a 410 like an unknown one.
export const inviteTokenParam = z.string().openapi({ param: { name: 'token', in: 'path' }, description: 'the share link token', pattern: '^[A-Za-z0-9_-]{20,100}$' });

export const invalidBody = errorResponse('body is not JSON or does not match the schema (`invalid_request`, with `issues`)');
export const tooLarge = errorResponse('body over the size limit (`payload_too_large`)');
export const notFound = errorResponse('no such document, or the caller has no role on it (`not_found`)');
export const forbidden = errorResponse("the caller's role is too low (`forbidden`)");
export const rateLimited = { ...errorResponse('too many attempts (`rate_limited`)'), headers: { 'Retry-After': { description: 'seconds', schema: { type: 'integer' as const } } } };
export const noContent = { description: 'done, no body' };
