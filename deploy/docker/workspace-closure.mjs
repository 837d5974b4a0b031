#!/usr/bin/env node
// Prints, one per line, the directory of a workspace and of every workspace it
// needs at run time (its `dependencies`, transitively; never devDependencies),
// relative to the repository root. `--all` prints every workspace directory.
// Used by node-service.Dockerfile so an image carries only what its service runs
// (no test helpers, no other services).
//   node deploy/docker/workspace-closure.mjs @copycloud/sync-server
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Workspace name → directory, from the root package.json's globs (`dir` or `dir/*`). */
function workspaces() {
  const byName = new Map();
  for (const pattern of readJson(join(root, 'package.json')).workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => `${pattern.slice(0, -2)}/${e.name}`)
      : [pattern];
    for (const dir of dirs) {
      const manifest = join(root, dir, 'package.json');
      if (existsSync(manifest)) byName.set(readJson(manifest).name, dir);
    }
  }
  return byName;
}

const [target] = process.argv.slice(2);
const all = workspaces();
if (target === '--all') {
  console.log([...all.values()].join('\n'));
} else {
  if (!target || !all.has(target)) {
    console.error(`workspace-closure: unknown workspace ${JSON.stringify(target)}; known: ${[...all.keys()].join(', ')}`);
    process.exit(2);
  }
  const needed = new Set();
  const visit = (name) => {
    if (needed.has(name)) return;
    needed.add(name);
    const dependencies = readJson(join(root, all.get(name), 'package.json')).dependencies ?? {};
    for (const dependency of Object.keys(dependencies)) if (all.has(dependency)) visit(dependency);
  };
  visit(target);
  console.log([...needed].map((name) => all.get(name)).join('\n'));
}
