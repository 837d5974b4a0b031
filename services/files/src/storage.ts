import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

/**
 * Where file bytes live. Keys are `docs/{documentId}/{fileId}`, already
 * validated by the caller (no `..`, no slashes inside a segment). A write is
 * all or nothing: a reader sees the whole file or no file.
 */
export interface FileStorage {
  readonly kind: 'disk' | 's3';
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes, or null when there is no such key. */
  get(key: string): Promise<Uint8Array | null>;
  /** Every stored file under `docs/`, with when it was written (for the sweep of unreferenced files). */
  list(): AsyncIterable<StoredObject>;
  /** Removes a file; a key that is already gone is not an error (sweeps may overlap). */
  delete(key: string): Promise<void>;
  /** For /readyz: throws when the store cannot be reached. */
  check(): Promise<void>;
  close(): Promise<void>;
}

export interface StoredObject {
  key: string;
  /** When the bytes were written (disk: mtime; S3: LastModified). */
  lastModified: Date;
}

export const fileKey = (documentId: string, fileId: string) => `docs/${documentId}/${fileId}`;
const FILE_KEY = /^docs\/([^/]+)\/([^/]+)$/;

/** `{documentId, fileId}` of a key `fileKey` made; null for anything else in the store. */
export function parseFileKey(key: string): { documentId: string; fileId: string } | null {
  const match = FILE_KEY.exec(key);
  return match ? { documentId: match[1]!, fileId: match[2]! } : null;
}

/**
 * Files on local disk under `root` (the embedded default: `DATA_DIR/files`).
 * Each write goes to a temporary file in `root/.tmp` and is renamed into
 * place, so a crash or a failed write never leaves a partial file under its key.
 */
export class DiskFileStorage implements FileStorage {
  readonly kind = 'disk';
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`key ${key} is outside the storage root`);
    return path;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const temporary = join(this.root, '.tmp', randomUUID());
    await mkdir(dirname(temporary), { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeFile(temporary, bytes, { flush: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async *list(): AsyncIterable<StoredObject> {
    const docs = join(this.root, 'docs');
    let documents: string[];
    try {
      documents = await readdir(docs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const documentId of documents) {
      let names: string[];
      try {
        names = await readdir(join(docs, documentId));
      } catch (error) {
        // Not a folder, or removed since: nothing of a document there.
        if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) continue;
        throw error;
      }
      for (const name of names) {
        try {
          const info = await stat(join(docs, documentId, name));
          if (info.isFile()) yield { key: `docs/${documentId}/${name}`, lastModified: info.mtime };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async close(): Promise<void> {}
}

export interface S3StorageConfig {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Path-style URLs (`endpoint/bucket/key`): what MinIO and most S3-compatible stores expect. */
  forcePathStyle: boolean;
}

/**
 * Files in any S3-compatible object store (MinIO, Ceph RGW, AWS S3…). One
 * PutObject per file: S3 makes a key visible only once its upload completed.
 */
export class S3FileStorage implements FileStorage {
  readonly kind = 's3';
  readonly client: S3Client;
  constructor(private readonly config: S3StorageConfig) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where the API requires them: S3-compatible stores do not all speak the newer trailing-checksum uploads.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  /** Creates the bucket when it does not exist (development stores start empty); a production bucket is made by its operator. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (error) {
      if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.config.bucket }));
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }),
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: 'docs/', ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (object.Key && object.LastModified) yield { key: object.Key, lastModified: object.LastModified };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that does not exist: deleting twice is harmless.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
