// Writes the merged API document and its reference page as static files, for
// the editor-app image (deploy/docker/editor-app.Dockerfile), whose nginx
// serves /api/openapi.json and /api/reference in the compose and Kubernetes
// stacks, where no single service holds every route:
//   node --import tsx --conditions=@copycloud/source launcher/src/export-api-reference.ts <out dir>
import { resolve } from 'node:path';
import { exportApiReference } from './api-reference-export.js';

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: export-api-reference <output directory>\n');
  process.exit(2);
}
const exported = await exportApiReference(resolve(outDir));
for (const [path, file] of Object.entries(exported.files)) process.stdout.write(`${path} -> ${file}\n`);
