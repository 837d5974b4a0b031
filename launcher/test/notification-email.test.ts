// `npm start` with SMTP_URL sends email digests: the all-in-one app on a real
// Postgres schema, a real SMTP server (smtp-server) receiving what nodemailer
// sends, and a real comment with an @mention made through the review API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { coreMigrations, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { fileStorageConfigFromEnv, openFileStorage, type FileStorage } from '@copycloud/files';
import { createLogger } from '@copycloud/observability';
import { reviewMigrations } from '@copycloud/review';
import { anchorFromTypeIndices } from '@copycloud/schema/comments';
import { createTestSchema, startSmtpCapture, waitFor, type SmtpCapture, type TestSchema } from '@copycloud/testing';
import { createAllInOne, type AllInOne } from '../src/all-in-one.js';
import { parseLauncherEnv } from '../src/config.js';

const logger = createLogger({ name: 'launcher-email-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let schema: TestSchema;
let db: Database;
let files: FileStorage;
let dataDir: string;
let stack: AllInOne;
let smtp: SmtpCapture;

before(async () => {
  smtp = await startSmtpCapture();

  schema = await createTestSchema('launchermail');
  dataDir = mkdtempSync(join(tmpdir(), 'copycloud-launcher-mail-'));
  // Parsed exactly as `npm start` parses the environment; digests due at once, the loop looking often.
  const env = parseLauncherEnv({
    DATABASE_URL: schema.url,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SMTP_URL: smtp.url,
    NOTIFY_EMAIL_FROM: 'Copycloud <notify@copy.test>',
    NOTIFY_DIGEST_MS: '1',
    NOTIFY_POLL_MS: '50',
    APP_URL: 'https://copy.test',
    EDITOR_DIST_DIR: dataDir,
  });
  db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await runMigrations(db, [...coreMigrations, ...reviewMigrations]);
  files = await openFileStorage(fileStorageConfigFromEnv(env));
  stack = createAllInOne(env, { db, logger, files });
});

after(async () => {
  for (const step of stack?.shutdownSteps ?? []) await step.run();
  await files?.close();
  await db?.close();
  await schema?.drop();
  await smtp?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The mail as a person reads it: quoted-printable soft breaks and escapes undone (nodemailer encodes non-ASCII text so). */
function readableBody(raw: string): string {
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(raw)) return raw;
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_all, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await stack.app.request(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function signup(name: string): Promise<{ token: string; id: string; email: string }> {
  const email = `${name.toLowerCase()}-${process.pid}-${Date.now()}@copy.test`;
  const r = await call('POST', '/api/auth/signup', null, { email, password: 'correct horse battery', name });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return { token: r.json.accessToken, id: r.json.user.id, email };
}

test('NOTIFY9 npm start with SMTP_URL: a comment @mentioning Alice reaches her as one email digest over real SMTP, linking to the document, sent once', async () => {
  const alice = await signup('Alice');
  const bob = await signup('Bob');
  const created = await call('POST', '/api/docs', alice.token, { title: 'Launch copy' });
  assert.equal(created.status, 201);
  const documentId = created.json.document.id as string;
  const link = await call('POST', `/api/docs/${documentId}/share`, alice.token, { role: 'commenter' });
  assert.equal(link.status, 201, JSON.stringify(link.json));
  assert.equal((await call('POST', `/api/invites/${link.json.token}/accept`, bob.token)).status, 200);

  // Text on the in-process node, and the anchor of "fast" as the editor would compute it.
  let anchor: { start: string; end: string } | undefined;
  await stack.syncNode.applyServerChange(documentId, { source: 'restore' }, (doc) => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment('default').insert(0, [paragraph]);
    text.insert(0, 'Our product is fast.');
    anchor = anchorFromTypeIndices({ type: text as Y.AbstractType<unknown>, index: 15 }, { type: text as Y.AbstractType<unknown>, index: 19 });
  });

  const comment = await call('POST', `/api/docs/${documentId}/comments`, bob.token, { anchor, body: `@[Alice](${alice.id}) can we prove this?` });
  assert.equal(comment.status, 201, JSON.stringify(comment.json));

  await waitFor(() => assert.equal(smtp.mails.length, 1), { timeoutMs: 15_000, message: 'the digest over SMTP' });
  const mail = smtp.mails[0]!;
  assert.deepEqual(mail.to, [alice.email]);
  assert.match(mail.raw, /Subject: Copycloud: 1 new notification/);
  const text = readableBody(mail.raw);
  assert.match(text, /Bob mentioned you: “@Alice can we prove this\?”/);
  const threadId = (comment.json as { thread: { id: string } }).thread.id;
  assert.ok(text.includes(`https://copy.test/d/${documentId}#thread=${threadId}`), `the digest links to the thread in the document:\n${text}`);

  // Marked sent in Postgres, and never sent again by later rounds.
  await waitFor(
    async () => {
      const { rows } = await db.query<{ email_state: string }>('SELECT email_state FROM notifications WHERE document_id = $1', [documentId]);
      assert.deepEqual(rows.map((r) => r.email_state), ['sent']);
    },
    { timeoutMs: 10_000, message: 'the notification marked sent' },
  );
  assert.equal(smtp.mails.length, 1);
});
