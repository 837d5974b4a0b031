import type { PathItem, Tag, WebSocketEndpoint } from './types.js';

/**
 * What one service contributes to the API document: its paths (OpenAPI form,
 * `/api/docs/{id}`), its tags, and prose or WebSocket endpoints that
 * OpenAPI's path model cannot describe. Each service keeps its fragment in
 * its own `openapi.ts`, next to the routes and schemas it describes.
 */
export interface ApiFragment {
  /** The service serving these paths (`auth`, `snapshots`, …); named in errors. */
  service: string;
  tags: Tag[];
  paths: Record<string, PathItem>;
  /** Markdown appended to `info.description`. */
  description?: string;
  websockets?: WebSocketEndpoint[];
}
