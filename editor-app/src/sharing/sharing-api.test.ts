import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isActiveLink, roleLabel, type ShareLink } from './sharing-api.js';

describe('share links', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  const link = (overrides: Partial<ShareLink>): ShareLink => ({
    id: 'sl_1',
    documentId: 'd',
    role: 'viewer',
    createdAt: '2026-03-01T00:00:00Z',
    expiresAt: null,
    revokedAt: null,
    ...overrides,
  });

  test('revoked or expired links are not listed as active', () => {
    assert.equal(isActiveLink(link({}), now), true);
    assert.equal(isActiveLink(link({ expiresAt: '2026-03-11T00:00:00Z' }), now), true);
    assert.equal(isActiveLink(link({ expiresAt: '2026-03-10T11:59:59Z' }), now), false);
    assert.equal(isActiveLink(link({ revokedAt: '2026-03-05T00:00:00Z' }), now), false);
  });

  test('roles read as what the person can do', () => {
    assert.deepEqual((['owner', 'editor', 'commenter', 'viewer'] as const).map(roleLabel), ['Owner', 'Can edit', 'Can comment', 'Can view']);
  });
});

test('EDIT8 an invite preview: a used-up link is refused before any account exists; the sentence names inviter, role and title', async () => {
  const { previewInvite, inviteSentence, InviteUnusableError } = await import('./sharing-api.js');
  const gone = (async () => new Response(JSON.stringify({ error: 'invalid_invite', message: 'this invite link is invalid, expired or revoked' }), { status: 410 })) as typeof fetch;
  await assert.rejects(previewInvite('t'.repeat(30), gone), InviteUnusableError);
  const ok = (async () => new Response(JSON.stringify({ invite: { documentTitle: 'Q3 plan', inviterName: 'Alice', role: 'viewer', expiresAt: null } }))) as typeof fetch;
  const invite = await previewInvite('t'.repeat(30), ok);
  assert.equal(inviteSentence(invite), 'Alice invited you to view “Q3 plan”.');
  assert.equal(inviteSentence({ ...invite, role: 'editor', documentTitle: ' ' }), 'Alice invited you to edit “Untitled document”.');
});
