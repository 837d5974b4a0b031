/**
 * HTTP plumbing every service shares.
 *
 * How a service reads a request body (every service; new ones too):
 *   - the route is a `createRoute` definition registered on `createApiApp()`
 *     (@copycloud/openapi) with the body's zod schema: the handler reads it
 *     typed with `c.req.valid('json')` (400 `invalid_request` with `issues`,
 *     one per wrong field, through `answerInvalidBody`);
 *   - `limitBody(maxBytes)` in the route's middleware (413
 *     `payload_too_large`, chunked bodies included);
 *   - `bodyErrorResponse(c, error)` first in the service's `onError` (a body
 *     that is not JSON at all, or not sent as JSON).
 * Every error body is `ApiErrorBody` from @copycloud/protocol.
 */
export * from './body.js';
export * from './http-server.js';
export * from './shutdown.js';
