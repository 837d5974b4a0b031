import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where document webhooks may point. A webhook URL is chosen by a document
 * owner, and the service POSTs to it from inside the deployment: without a
 * check it could reach the metadata endpoint (169.254.169.254), Postgres on
 * loopback or anything on the private network (SSRF). Only public unicast
 * addresses are allowed, unless the deployment says otherwise
 * (NOTIFY_WEBHOOK_ALLOW_PRIVATE, for tests and closed networks).
 */

/**
 * The range of one IP address (`unicast` for public ones): loopback, private
 * (RFC 1918), linkLocal (169.254/16, fe80::/10), uniqueLocal (fc00::/7),
 * unspecified, carrierGradeNat, multicast, reserved… An IPv4-mapped IPv6
 * address (`::ffff:10.0.0.1`) is classified as the IPv4 address it carries;
 * NAT64 and 6to4 forms, which can carry a private IPv4 address too, are ranges
 * of their own and so refused.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) throw new TypeError(`not an IP address: ${JSON.stringify(address.slice(0, 80))}`);
  return ipaddr.process(address).range();
}

/** True for a public unicast address: the only kind a webhook may reach by default. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

/** A webhook URL whose host is (or resolves to) an address it may not reach, or does not resolve. */
export class WebhookTargetError extends Error {
  override readonly name = 'WebhookTargetError';
  constructor(
    readonly reason: 'refused_address' | 'unresolvable',
    message: string,
  ) {
    super(message);
  }
}

/** `[::1]` → `::1`: URL hostnames keep IPv6 literals in brackets. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function refusal(host: string, address: string): WebhookTargetError {
  const range = addressRange(address);
  const shown = host === address ? address : `${host} (${address})`;
  return new WebhookTargetError('refused_address', `webhook host ${shown} is a ${range} address; webhooks may only reach public addresses`);
}

export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

const resolveWithDns: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * Every address `hostname` resolves to, each checked: one non-public address
 * refuses the host (a name with a public and a private record could be
 * connected either way). With `allowPrivate`, the addresses come back unchecked.
 */
export async function resolveWebhookHost(hostname: string, options: { allowPrivate: boolean; resolve?: ResolveAll }): Promise<LookupAddress[]> {
  const host = bareHost(hostname);
  const family = isIP(host);
  let addresses: LookupAddress[];
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await (options.resolve ?? resolveWithDns)(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new WebhookTargetError('unresolvable', `webhook host ${host} does not resolve (${code})`);
    }
    if (addresses.length === 0) throw new WebhookTargetError('unresolvable', `webhook host ${host} does not resolve`);
  }
  if (!options.allowPrivate) {
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw refusal(host, bad.address);
  }
  return addresses;
}

/**
 * A `lookup` for http(s).request that resolves, checks and hands the socket
 * exactly the address it checked — so a name cannot pass the check with one
 * answer and be connected with another (DNS rebinding).
 */
export function checkedLookup(options: { allowPrivate: boolean; resolve?: ResolveAll }): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveWebhookHost(hostname, options).then(
      (addresses) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses;
        if (lookupOptions.all) return callback(null, wanted);
        const first = wanted[0];
        if (!first) return callback(Object.assign(new Error(`webhook host ${hostname} has no IPv${String(lookupOptions.family)} address`), { code: 'ENOTFOUND' }), '', 0);
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** What a webhook endpoint answered. */
export interface WebhookResponse {
  readonly status: number;
}

/** Sends one webhook POST; rejects on a refused address, a network error or the timeout (an AbortError). */
export type WebhookPoster = (url: string, body: string, options: { timeoutMs: number }) => Promise<WebhookResponse>;

/**
 * POSTs JSON with node:http(s) rather than fetch, because the request must go
 * through `checkedLookup` (fetch takes no lookup). An IP-literal host is
 * checked here (no lookup happens for it). Redirects are not followed: a
 * 3xx is an answer like any other non-2xx.
 */
export function webhookPoster(options: { allowPrivate: boolean; resolve?: ResolveAll }): WebhookPoster {
  const lookup = checkedLookup(options);
  return async (url, body, { timeoutMs }) => {
    const target = new URL(url);
    if (isIP(bareHost(target.hostname)) !== 0) await resolveWebhookHost(target.hostname, options);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookResponse>((resolve, reject) => {
      const request = send(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          lookup,
          // The whole exchange, not just socket idleness.
          signal: AbortSignal.timeout(timeoutMs),
          // A fresh connection per post: a pooled socket would skip the lookup (and its check).
          agent: false,
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };
}
