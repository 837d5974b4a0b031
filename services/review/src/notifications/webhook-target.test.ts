import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressRange, isPublicAddress, resolveWebhookHost, WebhookTargetError } from './webhook-target.js';

test('NOTIFY8 address classification: loopback, RFC 1918, link-local (metadata), unique-local, unspecified and IPv4 inside IPv6 are not public; public unicast is', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.10', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    // IPv4-mapped IPv6 is the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    // NAT64 can carry a private IPv4 address: refused as its own range.
    ['64:ff9b::a00:1', 'rfc6052'],
  ];
  for (const [address, range] of refused) {
    assert.equal(addressRange(address), range, address);
    assert.equal(isPublicAddress(address), false, address);
  }
  for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
    assert.equal(isPublicAddress(address), true, address);
  }
  assert.throws(() => addressRange('example.com'), TypeError);
});

test('NOTIFY8 a host is refused when any address it resolves to is not public; IPv6 literals in brackets are checked; allowPrivate lets them through', async () => {
  const resolve = async (host: string) => {
    if (host === 'mixed.example') return [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.7', family: 4 }];
    if (host === 'public.example') return [{ address: '93.184.215.14', family: 4 }];
    throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  };
  await assert.rejects(resolveWebhookHost('mixed.example', { allowPrivate: false, resolve }), (error: unknown) => {
    assert.ok(error instanceof WebhookTargetError);
    assert.equal(error.reason, 'refused_address');
    assert.equal(error.message, 'webhook host mixed.example (10.0.0.7) is a private address; webhooks may only reach public addresses');
    return true;
  });
  assert.deepEqual(await resolveWebhookHost('public.example', { allowPrivate: false, resolve }), [{ address: '93.184.215.14', family: 4 }]);
  await assert.rejects(resolveWebhookHost('[::1]', { allowPrivate: false, resolve }), /webhook host ::1 is a loopback address/);
  await assert.rejects(resolveWebhookHost('nowhere.example', { allowPrivate: false, resolve }), /webhook host nowhere.example does not resolve \(ENOTFOUND\)/);
  assert.equal((await resolveWebhookHost('mixed.example', { allowPrivate: true, resolve })).length, 2);
  // The system resolver: localhost is loopback whatever it resolves to first.
  await assert.rejects(resolveWebhookHost('localhost', { allowPrivate: false }), /webhook host localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
});
