import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createDocument, guest, signup, startAuth, type RunningAuth } from './helpers.js';

describe('documents, members and share links', () => {
  let s: RunningAuth;
  before(async () => {
    s = await startAuth();
  });
  after(() => s.stop());

  test('AUTH30 create, list, get, delete; the creator is owner; strangers get 404', async () => {
    const owner = await signup(s.url);
    const stranger = await guest(s.url);
    const created = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: { title: 'Launch copy' } });
    assert.equal(created.status, 201);
    const id = created.json.document.id;
    assert.equal(created.json.document.role, 'owner');
    const { rows } = await s.db.query('SELECT 1 FROM documents WHERE id = $1', [id]);
    assert.equal(rows.length, 1, 'the core documents row exists');
    const list = await api(s.url, 'GET', '/api/docs', { token: owner.accessToken });
    assert.deepEqual(list.json.documents.map((d: { id: string; title: string }) => [d.id, d.title]), [[id, 'Launch copy']]);
    assert.deepEqual((await api(s.url, 'GET', '/api/docs', { token: stranger.accessToken })).json.documents, []);
    assert.equal((await api(s.url, 'GET', `/api/docs/${id}`, { token: stranger.accessToken })).status, 404);
    assert.equal((await api(s.url, 'DELETE', `/api/docs/${id}`, { token: stranger.accessToken })).status, 404);
    assert.equal((await api(s.url, 'GET', `/api/docs/${id}`, { token: owner.accessToken })).status, 200);
    assert.equal((await api(s.url, 'DELETE', `/api/docs/${id}`, { token: owner.accessToken })).status, 204);
    assert.equal((await api(s.url, 'GET', `/api/docs/${id}`, { token: owner.accessToken })).status, 404);
    assert.ok(s.received.some((e) => e.type === 'document-deleted' && e.documentId === id));
  });

  test('AUTH31 share links: role and expiry, accept adds the member, roles never exceed the sharer, revoke removes', async () => {
    const owner = await signup(s.url);
    const id = await createDocument(s.url, owner.accessToken);
    const link = await api(s.url, 'POST', `/api/docs/${id}/share`, { token: owner.accessToken, body: { role: 'editor', expiresInHours: 24 } });
    assert.equal(link.status, 201);
    assert.ok(Date.parse(link.json.link.expiresAt) > Date.now() + 23 * 3600_000);
    const member = await guest(s.url);
    const accepted = await api(s.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: member.accessToken });
    assert.deepEqual(accepted.json, { documentId: id, role: 'editor' });
    assert.ok(s.received.some((e) => e.type === 'access-changed' && e.userId === member.user.id && e.role === 'editor'));
    // An editor may share as viewer but not as owner (not a share role) — and cannot manage members.
    assert.equal((await api(s.url, 'POST', `/api/docs/${id}/share`, { token: member.accessToken, body: { role: 'viewer' } })).status, 201);
    assert.equal((await api(s.url, 'POST', `/api/docs/${id}/share`, { token: member.accessToken, body: { role: 'owner' } })).status, 400);
    assert.equal((await api(s.url, 'PUT', `/api/docs/${id}/members`, { token: member.accessToken, body: { userId: owner.user.id, role: 'viewer' } })).status, 403);
    const members = await api(s.url, 'GET', `/api/docs/${id}/members`, { token: member.accessToken });
    assert.deepEqual(members.json.members.map((m: { userId: string; role: string }) => [m.userId, m.role]), [[owner.user.id, 'owner'], [member.user.id, 'editor']]);
    // Expired link.
    const expired = await api(s.url, 'POST', `/api/docs/${id}/share`, { token: owner.accessToken, body: { role: 'viewer', expiresInHours: 1 } });
    await s.db.query("UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.json.link.id]);
    const late = await guest(s.url);
    assert.equal((await api(s.url, 'POST', `/api/invites/${expired.json.token}/accept`, { token: late.accessToken })).status, 410);
    // Revoking the editor link removes the member who came through it.
    const revoke = await api(s.url, 'DELETE', `/api/docs/${id}/share/${link.json.link.id}`, { token: owner.accessToken });
    assert.deepEqual(revoke.json.removedMembers, [member.user.id]);
    assert.equal((await api(s.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: late.accessToken })).status, 410);
    assert.equal((await api(s.url, 'POST', `/api/docs/${id}/token`, { token: member.accessToken })).status, 404);
  });

  test('AUTH33 an invite link is previewed without a session: title, inviter, role; a bad or expired link answers 410', async () => {
    const owner = await signup(s.url);
    const created = await api(s.url, 'POST', '/api/docs', { token: owner.accessToken, body: { title: 'Spring launch' } });
    const id = created.json.document.id;
    const link = await api(s.url, 'POST', `/api/docs/${id}/share`, { token: owner.accessToken, body: { role: 'commenter' } });
    const preview = await api(s.url, 'GET', `/api/invites/${link.json.token}`, {});
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.json.invite, { documentTitle: 'Spring launch', inviterName: owner.user.name, role: 'commenter', expiresAt: null });
    assert.equal((await api(s.url, 'GET', `/api/invites/${'x'.repeat(40)}`, {})).status, 410);
    assert.equal((await api(s.url, 'GET', '/api/invites/short', {})).status, 410);
    await s.db.query("UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE id = $1", [link.json.link.id]);
    assert.equal((await api(s.url, 'GET', `/api/invites/${link.json.token}`, {})).status, 410);
  });

  test('AUTH34 a rename is pushed to sync nodes (document-renamed) with the new title', async () => {
    const owner = await signup(s.url);
    const id = await createDocument(s.url, owner.accessToken);
    assert.equal((await api(s.url, 'PATCH', `/api/docs/${id}`, { token: owner.accessToken, body: { title: 'New name' } })).status, 200);
    assert.ok(s.received.some((e) => e.type === 'document-renamed' && e.documentId === id && e.title === 'New name'));
  });

  test('AUTH32 members: change role, remove, leave; the last owner cannot go', async () => {
    const owner = await signup(s.url);
    const id = await createDocument(s.url, owner.accessToken);
    const link = await api(s.url, 'POST', `/api/docs/${id}/share`, { token: owner.accessToken, body: { role: 'viewer' } });
    const member = await guest(s.url);
    await api(s.url, 'POST', `/api/invites/${link.json.token}/accept`, { token: member.accessToken });
    const put = await api(s.url, 'PUT', `/api/docs/${id}/members`, { token: owner.accessToken, body: { userId: member.user.id, role: 'commenter' } });
    assert.equal(put.status, 200);
    const token = await api(s.url, 'POST', `/api/docs/${id}/token`, { token: member.accessToken });
    assert.equal(token.json.role, 'commenter');
    // An explicit role survives revoking the link it came through.
    await api(s.url, 'DELETE', `/api/docs/${id}/share/${link.json.link.id}`, { token: owner.accessToken });
    assert.equal((await api(s.url, 'POST', `/api/docs/${id}/token`, { token: member.accessToken })).status, 200);
    assert.equal((await api(s.url, 'DELETE', `/api/docs/${id}/members`, { token: owner.accessToken, body: { userId: owner.user.id } })).status, 409);
    assert.equal((await api(s.url, 'PUT', `/api/docs/${id}/members`, { token: owner.accessToken, body: { userId: owner.user.id, role: 'editor' } })).status, 409);
    assert.equal((await api(s.url, 'PUT', `/api/docs/${id}/members`, { token: owner.accessToken, body: { userId: 'u_nobody', role: 'editor' } })).status, 404);
    const leave = await api(s.url, 'DELETE', `/api/docs/${id}/members/${member.user.id}`, { token: member.accessToken });
    assert.equal(leave.status, 200);
    assert.ok(s.received.some((e) => e.type === 'access-changed' && e.userId === member.user.id && e.role === null));
    assert.equal((await api(s.url, 'GET', `/api/docs/${id}`, { token: member.accessToken })).status, 404);
  });
});
