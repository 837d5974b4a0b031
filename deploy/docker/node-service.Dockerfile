# One image per Node deployable, built from the repository root:
#   docker build -f deploy/docker/node-service.Dockerfile \
#     --build-arg WORKSPACE=@copycloud/sync-server --build-arg WORKSPACE_DIR=sync-server \
#     -t copycloud/sync-server .
# Deployables: sync-server (sync-server), @copycloud/auth (services/auth),
# @copycloud/ai (services/ai), @copycloud/snapshots (services/snapshots),
# @copycloud/review (services/review), @copycloud/files (services/files).
# Needs BuildKit (the default builder since Docker 23) for RUN --mount; no
# `# syntax=` line, so nothing is pulled but the base image (air-gapped builds).
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Every workspace's package.json, so `npm ci` sees the lockfile's workspaces.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests \; \
 && cp package-lock.json /manifests/

# 2. Build the workspace and the workspaces it depends on (dev deps included).
#    The full `npm ci` comes before `ARG WORKSPACE`: an ARG in scope changes
#    the cache key of every later RUN, and this layer is the same for all four
#    service images.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
ARG WORKSPACE
RUN npx turbo run build --filter="${WORKSPACE}..." \
 # Keep only what runs: the dist/ of the workspace and of the workspaces in
 # its production dependencies (turbo also builds dev-only ones, e.g. testing).
 && mkdir /out \
 && for dir in $(node deploy/docker/workspace-closure.mjs "${WORKSPACE}"); do \
      mkdir -p "/out/$dir" && cp -r "$dir/dist" "/out/$dir/dist"; \
    done

# 3. Production dependencies of that workspace only; the other workspaces'
#    manifests and links go (npm links every workspace of the lockfile).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
COPY deploy/docker/workspace-closure.mjs /usr/local/lib/workspace-closure.mjs
ARG WORKSPACE
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace="${WORKSPACE}" \
 && keep=" $(node /usr/local/lib/workspace-closure.mjs "${WORKSPACE}" | tr '\n' ' ') " \
 && for dir in $(node /usr/local/lib/workspace-closure.mjs --all); do \
      case "$keep" in *" $dir "*) ;; *) rm -rf "$dir" ;; esac; \
    done \
 && find node_modules -maxdepth 2 -xtype l -delete

# 4. Runtime: non-root, production deps, built code.
FROM ${NODE_IMAGE} AS runtime
ARG WORKSPACE_DIR
# Debian packages one service needs at run time, e.g. snapshots: fonts-wqy-microhei,
# the CJK font its PDF export falls back to (services/snapshots/src/export/fonts.ts).
ARG SYSTEM_PACKAGES=""
RUN if [ -n "${SYSTEM_PACKAGES}" ]; then \
      apt-get update && apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES} && rm -rf /var/lib/apt/lists/*; \
    fi
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
