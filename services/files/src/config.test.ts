import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@copycloud/config';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_SWEEP_GRACE_MS, DEFAULT_SWEEP_INTERVAL_MS, filesConfigFromEnv, parseFilesEnv } from './config.js';

test('FILES10 config: disk under DATA_DIR/files by default; S3 needs all four variables, and every missing one is named', () => {
  const disk = filesConfigFromEnv(parseFilesEnv({ AUTH_DISABLED: 'true', DATA_DIR: '/var/lib/copycloud' }));
  assert.deepEqual(disk, {
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    storage: { kind: 'disk', dir: '/var/lib/copycloud/files' },
    sweep: { graceMs: DEFAULT_SWEEP_GRACE_MS, intervalMs: DEFAULT_SWEEP_INTERVAL_MS },
  });

  const s3 = filesConfigFromEnv(
    parseFilesEnv({ AUTH_DISABLED: 'true', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'copycloud-files', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', FILES_MAX_UPLOAD_BYTES: '1000' }),
  );
  assert.equal(s3.storage.kind, 's3');
  assert.equal(s3.maxUploadBytes, 1000);

  assert.throws(
    () => parseFilesEnv({ AUTH_DISABLED: 'true', S3_ENDPOINT: 'http://minio:9000', S3_SECRET_ACCESS_KEY: 'shh' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      assert.match(text, /S3_BUCKET: required when S3_ENDPOINT, S3_SECRET_ACCESS_KEY are set/);
      assert.match(text, /S3_ACCESS_KEY_ID: required/);
      assert.doesNotMatch(text, /shh/);
      return true;
    },
  );
  assert.throws(() => parseFilesEnv({ AUTH_DISABLED: 'true', S3_ENDPOINT: 'ftp://x', S3_BUCKET: 'B!', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }), /S3_ENDPOINT[\s\S]*S3_BUCKET/);
  assert.throws(() => parseFilesEnv({}), /AUTH_JWKS_URL: required/);
});

test('FILES14 config: unreferenced files go after FILES_SWEEP_GRACE_MS (24 h by default), swept every FILES_SWEEP_INTERVAL_MS (1 h; 0 turns the sweep off)', () => {
  assert.equal(DEFAULT_SWEEP_GRACE_MS, 24 * 60 * 60 * 1000);
  const off = filesConfigFromEnv(parseFilesEnv({ AUTH_DISABLED: 'true', FILES_SWEEP_INTERVAL_MS: '0', FILES_SWEEP_GRACE_MS: '60000' }));
  assert.deepEqual(off.sweep, { graceMs: 60_000, intervalMs: 0 });
  assert.throws(() => parseFilesEnv({ AUTH_DISABLED: 'true', FILES_SWEEP_GRACE_MS: '0' }), /FILES_SWEEP_GRACE_MS/);
  assert.throws(() => parseFilesEnv({ AUTH_DISABLED: 'true', FILES_SWEEP_INTERVAL_MS: '-1' }), /FILES_SWEEP_INTERVAL_MS/);
});
