import { isAppFileUrl } from '@copycloud/schema/extensions';

/**
 * The app's image URLs answer only with a bearer token, which an <img>
 * cannot send: each one is fetched with the token once per editor and shown
 * through a blob: URL (revoked when the editor goes).
 */
export class AuthenticatedImageSources {
  private readonly loads = new Map<string, Promise<string>>();
  private readonly objectUrls: string[] = [];
  private disposed = false;

  constructor(
    private readonly accessToken: () => Promise<string | null>,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** A URL an <img> can show for `src`; app file URLs become blob: URLs, anything else is returned as it is. */
  resolve(src: string): Promise<string> {
    if (!isAppFileUrl(src)) return Promise.resolve(src);
    let load = this.loads.get(src);
    if (!load) {
      load = this.fetchBlobUrl(src);
      // A failed load is tried again next time (the token may have been renewed, the store back).
      load.catch(() => this.loads.delete(src));
      this.loads.set(src, load);
    }
    return load;
  }

  dispose(): void {
    this.disposed = true;
    for (const url of this.objectUrls.splice(0)) URL.revokeObjectURL(url);
    this.loads.clear();
  }

  private async fetchBlobUrl(src: string): Promise<string> {
    const token = await this.accessToken();
    const response = await this.fetchFn(src, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new Error(response.status === 404 ? 'This image is no longer available.' : `The image could not be loaded (${response.status}${body.message ? `: ${body.message}` : ''}).`);
    }
    const url = URL.createObjectURL(await response.blob());
    if (this.disposed) URL.revokeObjectURL(url);
    else this.objectUrls.push(url);
    return url;
  }
}
