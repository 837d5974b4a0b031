import { authApiFragment } from '@copycloud/auth';
import { aiApiFragment } from '@copycloud/ai';
import { snapshotsApiFragment } from '@copycloud/snapshots';
import { filesApiFragment } from '@copycloud/files';
import { notificationsApiFragment, reviewApiFragment } from '@copycloud/review';
import { serviceApiDocument, type OpenApiDocument } from '@copycloud/openapi';
import { syncApiFragment } from '@copycloud/sync-server';

/**
 * The whole API in one document: what `npm start` serves at /api/openapi.json,
 * and what the editor-app image ships as static files for the split deployments
 * (export-api-reference.ts), so both come from the same route definitions.
 */
export function launcherApiDocument(): OpenApiDocument {
  return serviceApiDocument([authApiFragment, snapshotsApiFragment, filesApiFragment, reviewApiFragment, notificationsApiFragment, aiApiFragment, syncApiFragment]);
}
