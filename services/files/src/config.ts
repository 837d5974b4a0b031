import { join } from 'node:path';
import { z } from 'zod';
import { baseEnvSchema, booleanSchema, parseEnv, positiveIntSchema, urlSchema } from '@copycloud/config';
import { DiskFileStorage, S3FileStorage, type FileStorage, type S3StorageConfig } from './storage.js';

const MIB = 1024 * 1024;
/** Default largest upload: a large photo, small enough to hold in memory while it is checked. */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * MIB;
/** A file nothing references is deleted once it is this old: long enough for an upload to reach its document, an undo, a slow client. */
export const DEFAULT_SWEEP_GRACE_MS = 24 * 60 * 60 * 1000;
/** How often the sweep of unreferenced files runs. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

const nonNegativeIntSchema = z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(0, 'must be 0 or more');

/**
 * Where files are stored: every process that reads or writes them (the files
 * sidecar, snapshots for DOCX/PDF export, the launcher) understands these.
 * Without S3_ENDPOINT, files are on disk under DATA_DIR/files.
 */
export const fileStorageEnvShape = {
  DATA_DIR: z.string().default('./data'),
  S3_ENDPOINT: urlSchema(['http:', 'https:']).optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z 0-9 . -)').optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  /** Path-style bucket URLs (MinIO and most S3-compatible stores); false for virtual-hosted style. */
  S3_FORCE_PATH_STYLE: booleanSchema.default(true),
};

const S3_VARIABLES = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** All four S3 variables or none: a half-configured store would silently fall back to disk. */
export function refineFileStorageEnv(env: Partial<Record<(typeof S3_VARIABLES)[number], string | undefined>>, ctx: z.RefinementCtx): void {
  const set = S3_VARIABLES.filter((name) => env[name] !== undefined);
  if (set.length === 0 || set.length === S3_VARIABLES.length) return;
  for (const name of S3_VARIABLES) {
    if (env[name] === undefined) {
      ctx.addIssue({ code: 'custom', path: [name], message: `required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set (S3 storage needs all of ${S3_VARIABLES.join(', ')})` });
    }
  }
}

/** The files sidecar's variables. */
export const filesEnvObject = baseEnvSchema.extend({
  ...fileStorageEnvShape,
  DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional(),
  AUTH_DISABLED: booleanSchema.default(false),
  AUTH_JWKS_URL: urlSchema(['http:', 'https:', 'file:']).optional(),
  AUTH_ISSUER: z.string().default('copycloud'),
  /** Largest upload accepted, in bytes (413 above). */
  FILES_MAX_UPLOAD_BYTES: positiveIntSchema.default(DEFAULT_MAX_UPLOAD_BYTES),
  /** Files no document state or version references are deleted once older than this (ms). */
  FILES_SWEEP_GRACE_MS: positiveIntSchema.default(DEFAULT_SWEEP_GRACE_MS),
  /** How often the sweep runs (ms); 0 turns it off. */
  FILES_SWEEP_INTERVAL_MS: nonNegativeIntSchema.default(DEFAULT_SWEEP_INTERVAL_MS),
  SHUTDOWN_TIMEOUT_MS: positiveIntSchema.default(10_000),
});

export const filesEnvSchema = filesEnvObject.superRefine((env, ctx) => {
  refineFileStorageEnv(env, ctx);
  if (!env.AUTH_DISABLED && !env.AUTH_JWKS_URL) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'required: where to fetch the JWKS that verifies access tokens (or set AUTH_DISABLED=true, for development only)' });
  }
});

export type FilesEnv = z.infer<typeof filesEnvObject>;

export type FileStorageConfig = { kind: 'disk'; dir: string } | ({ kind: 's3' } & S3StorageConfig);

export interface SweepConfig {
  graceMs: number;
  /** 0: no sweep. */
  intervalMs: number;
}

export interface FilesConfig {
  maxUploadBytes: number;
  storage: FileStorageConfig;
  sweep: SweepConfig;
}

export const DEFAULT_FILES_CONFIG: FilesConfig = {
  maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  storage: { kind: 'disk', dir: './data/files' },
  sweep: { graceMs: DEFAULT_SWEEP_GRACE_MS, intervalMs: DEFAULT_SWEEP_INTERVAL_MS },
};

const fileStorageEnvObject = z.object(fileStorageEnvShape);
type StorageEnv = z.infer<typeof fileStorageEnvObject>;

/** The storage named by already-validated variables (see refineFileStorageEnv). */
export function fileStorageConfigFromEnv(env: StorageEnv): FileStorageConfig {
  if (env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY) {
    return {
      kind: 's3',
      endpoint: env.S3_ENDPOINT,
      bucket: env.S3_BUCKET,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      region: env.S3_REGION,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    };
  }
  return { kind: 'disk', dir: join(env.DATA_DIR, 'files') };
}

export function filesConfigFromEnv(env: FilesEnv): FilesConfig {
  return {
    maxUploadBytes: env.FILES_MAX_UPLOAD_BYTES,
    storage: fileStorageConfigFromEnv(env),
    sweep: { graceMs: env.FILES_SWEEP_GRACE_MS, intervalMs: env.FILES_SWEEP_INTERVAL_MS },
  };
}

export function parseFilesEnv(env: Record<string, string | undefined>): FilesEnv {
  return parseEnv(filesEnvSchema, env);
}

/** Opens the configured store; an S3 bucket that does not exist yet is created. */
export async function openFileStorage(config: FileStorageConfig): Promise<FileStorage> {
  if (config.kind === 'disk') {
    const storage = new DiskFileStorage(config.dir);
    await storage.check();
    return storage;
  }
  const { kind: _kind, ...s3 } = config;
  const storage = new S3FileStorage(s3);
  await storage.ensureBucket();
  return storage;
}
