import type { JsonNode } from './version-diff.js';

/** One entry of `GET /api/docs/:id/versions` (services/snapshots). */
export interface VersionSummary {
  id: string;
  kind: 'auto' | 'named' | 'restore';
  name: string | null;
  author: { userId: string; name: string } | null;
  createdAt: string;
}

export type ExportFormat = 'md' | 'html';

export class VersionsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The snapshots routes, with the caller's access token on every request. */
export class VersionsApi {
  constructor(
    private readonly documentId: string,
    private readonly accessToken: () => Promise<string>,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  async list(): Promise<VersionSummary[]> {
    return ((await this.json('GET', '/versions')) as { versions: VersionSummary[] }).versions;
  }

  async content(versionId: string): Promise<JsonNode> {
    return ((await this.json('GET', `/versions/${encodeURIComponent(versionId)}?format=json`)) as { content: JsonNode }).content;
  }

  async name(name: string): Promise<VersionSummary> {
    return ((await this.json('POST', '/versions', { name })) as { version: VersionSummary }).version;
  }

  async restore(versionId: string): Promise<VersionSummary> {
    return ((await this.json('POST', `/versions/${encodeURIComponent(versionId)}/restore`)) as { version: VersionSummary }).version;
  }

  /** The current document as a file (Blob) in `format`. */
  async export(format: ExportFormat): Promise<Blob> {
    const response = await this.request('GET', `/export?format=${format}`);
    return response.blob();
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.request(method, path, body)).json();
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.fetchFn(`/api/docs/${encodeURIComponent(this.documentId)}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      const detail = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new VersionsApiError(response.status, detail.error ?? 'http_error', detail.message ?? `request failed with ${response.status}`);
    }
    return response;
  }
}

/** "named" versions show their name; the others say what they are. */
export function versionLabel(version: VersionSummary): string {
  switch (version.kind) {
    case 'named':
      return version.name ?? 'Named version';
    case 'restore':
      return version.name ?? 'Restored version';
    case 'auto':
      return 'Automatic version';
    default: {
      const unreachable: never = version.kind;
      return String(unreachable);
    }
  }
}
