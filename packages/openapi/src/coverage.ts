import type { Hono } from 'hono';
import { inspectRoutes } from 'hono/dev';
import { HTTP_METHODS, type OpenApiDocument, type PathItem } from './types.js';

/** `/api/docs/:id/versions/:vid{[0-9]+}` → `/api/docs/{id}/versions/{vid}`. */
export function honoPathToOpenApi(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}');
}

/**
 * Every endpoint a Hono app answers, as `METHOD /openapi/{path}` strings:
 * its handlers, not its middleware (`use`, `requireUser` before a handler).
 */
export function registeredOperations(app: Hono): string[] {
  const found = new Set<string>();
  for (const route of inspectRoutes(app)) {
    if (route.isMiddleware) continue;
    found.add(`${route.method.toUpperCase()} ${honoPathToOpenApi(route.path)}`);
  }
  return [...found].sort();
}

/** Every operation a document (or a fragment's paths) describes, in the same form. */
export function documentedOperations(source: OpenApiDocument | { paths: Record<string, PathItem> }): string[] {
  const found: string[] = [];
  for (const [path, item] of Object.entries(source.paths)) {
    for (const method of HTTP_METHODS) if (item[method]) found.push(`${method.toUpperCase()} ${path}`);
  }
  return found.sort();
}

/** What an app serves without docs, and what docs describe that the app does not serve. */
export function compareCoverage(registered: readonly string[], documented: readonly string[]): { undocumented: string[]; unserved: string[] } {
  const served = new Set(registered);
  const described = new Set(documented);
  return {
    undocumented: registered.filter((op) => !described.has(op)),
    unserved: documented.filter((op) => !served.has(op)),
  };
}
