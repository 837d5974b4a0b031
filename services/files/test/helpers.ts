import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { AuthError, type AccessTokenVerifier, type DocumentRoleLookup, type RequestIdentity, type Role } from '@copycloud/auth-client';
import { createLogger } from '@copycloud/observability';
// s3rver: an S3-compatible HTTP server (npm), filesystem-backed; a real server on port 0, not a mock of the SDK.
import S3rver from 's3rver';
import { DiskFileStorage, S3FileStorage, createFilesService, type FileStorage, type S3StorageConfig } from '../src/index.js';

export const quietLogger = createLogger({ name: 'files-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A token `user:<id>` names that user; anything else is rejected like a bad JWT. */
export const testVerifier: AccessTokenVerifier = {
  async verifyAccessToken(token: string): Promise<RequestIdentity> {
    const match = /^user:([a-z0-9-]{1,40})$/.exec(token);
    if (!match) throw new AuthError('invalid_token', 'token is not valid');
    return { userId: match[1]!, name: `User ${match[1]}`, color: '#336699' };
  },
};

export class TestRoles implements DocumentRoleLookup {
  private readonly roles = new Map<string, Map<string, Role>>();
  grant(documentId: string, userId: string, role: Role | null): void {
    if (!this.roles.has(documentId)) this.roles.set(documentId, new Map());
    if (role === null) this.roles.get(documentId)!.delete(userId);
    else this.roles.get(documentId)!.set(userId, role);
  }
  async roleOf(documentId: string, userId: string): Promise<Role | null> {
    return this.roles.get(documentId)?.get(userId) ?? null;
  }
}

export const bearer = (userId: string) => ({ authorization: `Bearer user:${userId}` });

export interface RunningS3 {
  endpoint: string;
  config(bucket: string): S3StorageConfig;
  stop(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on 127.0.0.1, port 0, data in a fresh temporary directory. */
export async function startS3Server(): Promise<RunningS3> {
  const directory = mkdtempSync(join(tmpdir(), 'copycloud-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    config: (bucket) => ({ endpoint, bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1', forcePathStyle: true }),
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Every key a store holds (what a "nothing half-written" check lists). */
export async function storedKeys(storage: FileStorage, root?: string): Promise<string[]> {
  if (storage instanceof S3FileStorage) {
    const bucket = (storage as unknown as { config: S3StorageConfig }).config.bucket;
    const listed = await storage.client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  }
  const keys: string[] = [];
  const walk = (dir: string, prefix: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const key = prefix ? `${prefix}/${name}` : name;
      if (statSync(path).isDirectory()) walk(path, key);
      else keys.push(key);
    }
  };
  walk(root!, '');
  return keys.sort();
}

export interface StorageImplementation {
  name: 'disk' | 's3';
  open(): Promise<{ storage: FileStorage; keys(): Promise<string[]>; cleanup(): Promise<void> }>;
}

let bucketCounter = 0;
/** Every storage test runs against files on disk and against a real S3-compatible server. */
export function storageImplementations(s3: () => RunningS3): StorageImplementation[] {
  return [
    {
      name: 'disk',
      async open() {
        const root = mkdtempSync(join(tmpdir(), 'copycloud-files-'));
        const storage = new DiskFileStorage(root);
        return { storage, keys: () => storedKeys(storage, root), cleanup: async () => rmSync(root, { recursive: true, force: true }) };
      },
    },
    {
      name: 's3',
      async open() {
        const storage = new S3FileStorage(s3().config(`files-test-${process.pid}-${++bucketCounter}`));
        await storage.ensureBucket();
        return { storage, keys: () => storedKeys(storage), cleanup: () => storage.close() };
      },
    },
  ];
}

export function filesApp(storage: FileStorage, roles: TestRoles, maxUploadBytes = 64 * 1024): Hono {
  const service = createFilesService({ config: { maxUploadBytes }, storage, logger: quietLogger, verifier: testVerifier, roles });
  return new Hono().route('/', service.opsRoutes).route('/', service.app);
}
