import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@copycloud/config';
import { parseSnapshotsEnv, snapshotsConfigFromEnv } from './config.js';

test('config: every bad variable is named; AUTH_JWKS_URL is required unless AUTH_DISABLED', () => {
  assert.throws(
    () => parseSnapshotsEnv({ COMPACT_THRESHOLD_UPDATES: '0', AUTO_VERSION_PAUSE_MS: 'soon', DATABASE_URL: 'mysql://x' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /COMPACT_THRESHOLD_UPDATES: must be positive/);
      assert.match(error.message, /AUTO_VERSION_PAUSE_MS: must be a number/);
      assert.match(error.message, /DATABASE_URL: must be a URL/);
      return true;
    },
  );
  // Cross-field rules run once every variable parses on its own.
  assert.throws(() => parseSnapshotsEnv({}), /AUTH_JWKS_URL: required/);
  assert.doesNotThrow(() => parseSnapshotsEnv({ AUTH_JWKS_URL: 'http://auth:8080/.well-known/jwks.json' }));
});

test('config: defaults and units', () => {
  const config = snapshotsConfigFromEnv(parseSnapshotsEnv({ AUTH_DISABLED: 'true', AUTO_VERSION_KEEP: '7', AUTO_VERSION_MAX_AGE_DAYS: '2' }));
  assert.equal(config.compactor.thresholdRows, 200);
  assert.equal(config.autoVersions.keepAutoVersions, 7);
  assert.equal(config.autoVersions.autoVersionMaxAgeMs, 2 * 24 * 60 * 60 * 1000);
  assert.equal(config.redisPrefix, 'copycloud');
});
