import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, baseEnvSchema, parseEnv, urlSchema } from './index.js';

const schema = baseEnvSchema.extend({ DATABASE_URL: urlSchema(['postgres:', 'postgresql:']).optional() });

test('defaults apply when variables are unset or empty', () => {
  const config = parseEnv(schema, { PORT: '', LOG_LEVEL: undefined });
  assert.deepEqual(config, { PORT: 8080, HOST: '0.0.0.0', LOG_LEVEL: 'info' });
});

test('every bad variable is named in one error, secrets redacted', () => {
  assert.throws(
    () => parseEnv(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://u:hunter2@h/db' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 3);
      assert.match(error.message, /PORT: must be a port number \(got "eighty"\)/);
      assert.match(error.message, /LOG_LEVEL: must be one of/);
      assert.match(error.message, /DATABASE_URL: must be a URL with scheme postgres or postgresql/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    },
  );
});

test('port range is enforced', () => {
  assert.throws(() => parseEnv(z.object({ PORT: baseEnvSchema.shape.PORT }), { PORT: '70000' }), /PORT: must be between/);
});
