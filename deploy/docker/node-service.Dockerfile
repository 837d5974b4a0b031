# syntax=docker/dockerfile:1.7
# One image per Node deployable, built from the repository root:
#   docker build -f deploy/docker/node-service.Dockerfile \
#     --build-arg WORKSPACE=@copycloud/sync-server --build-arg WORKSPACE_DIR=sync-server \
#     -t copycloud/sync-server .
# Deployables: sync-server (sync-server), @copycloud/auth (services/auth),
# @copycloud/ai (services/ai), @copycloud/snapshots (services/snapshots).
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Every workspace's package.json, so `npm ci` sees the lockfile's workspaces.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests \; \
 && cp package-lock.json /manifests/

# 2. Build the workspace and the workspaces it depends on (dev deps included).
FROM ${NODE_IMAGE} AS build
ARG WORKSPACE
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx turbo run build --filter="${WORKSPACE}..." \
 # Keep only what runs: each workspace's package.json and dist/.
 && mkdir /out \
 && find . -path ./node_modules -prune -o -type d -name dist -not -path '*/node_modules/*' -print \
      | while read -r dist; do mkdir -p "/out/$(dirname "$dist")" && cp -r "$dist" "/out/$dist"; done

# 3. Production dependencies of that workspace only.
FROM ${NODE_IMAGE} AS prod-deps
ARG WORKSPACE
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace="${WORKSPACE}"

# 4. Runtime: non-root, production deps, built code.
FROM ${NODE_IMAGE} AS runtime
ARG WORKSPACE_DIR
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --from=prod-deps --chown=1000:1000 /app/ ./
COPY --from=build --chown=1000:1000 /out/ ./
RUN test -f "${WORKSPACE_DIR}/dist/main.js" && ln -s "/app/${WORKSPACE_DIR}/dist/main.js" /app/main.js
# The `node` user of the official image; numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (drain, flush, exit): see installShutdown.
CMD ["node", "/app/main.js"]
