/**
 * HTTP plumbing every service shares.
 *
 * How a service reads a request body (auth, snapshots, ai, files do this; new
 * services too):
 *   - `limitBody(maxBytes)` on each route that takes a body (413
 *     `payload_too_large`, chunked bodies included);
 *   - `jsonBody(schema)` on the route, then `c.req.valid('json')` in the
 *     handler (400 `invalid_request` with `issues`, one per wrong field);
 *   - `bodyErrorResponse(c, error)` first in the service's `onError` (a body
 *     that is not JSON at all).
 * Every error body is `ApiErrorBody` from @copycloud/protocol.
 */
export * from './body.js';
export * from './http-server.js';
export * from './shutdown.js';
