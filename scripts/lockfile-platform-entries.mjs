// The npm registry this project is developed against serves only the Linux
// builds of turbo, so `npm install` here leaves turbo's other platform
// packages out of package-lock.json, and `npm ci` (CI, Dockerfiles) then
// refuses the lockfile as out of sync. This adds those optional entries
// (version, os, cpu; no integrity, so npm fetches them by version on the
// platforms that need them and skips them everywhere else).
// Run after any `npm install` that rewrote the lockfile: `node scripts/lockfile-platform-entries.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCKFILE = new URL('../package-lock.json', import.meta.url);
const PLATFORMS = {
  'darwin-64': { os: ['darwin'], cpu: ['x64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'windows-64': { os: ['win32'], cpu: ['x64'] },
  'windows-arm64': { os: ['win32'], cpu: ['arm64'] },
};

const lock = JSON.parse(readFileSync(LOCKFILE, 'utf8'));
const turbo = lock.packages['node_modules/turbo'];
if (!turbo) throw new Error('turbo is not in package-lock.json');
let added = 0;
for (const [platform, fields] of Object.entries(PLATFORMS)) {
  const key = `node_modules/@turbo/${platform}`;
  const wanted = turbo.optionalDependencies?.[`@turbo/${platform}`];
  if (!wanted || lock.packages[key]) continue;
  lock.packages[key] = { version: wanted, cpu: fields.cpu, dev: true, license: 'MIT', optional: true, os: fields.os };
  added += 1;
}
// Keep npm's key order (sorted paths) so the file diffs cleanly.
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(LOCKFILE, JSON.stringify(lock, null, 2) + '\n');
console.log(`lockfile: added ${added} platform entr${added === 1 ? 'y' : 'ies'} for turbo`);
