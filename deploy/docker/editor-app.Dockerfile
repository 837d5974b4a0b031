# The editor app: built with Vite, served as static files by unprivileged nginx.
#   docker build -f deploy/docker/editor-app.Dockerfile -t copycloud/editor-app .
ARG NODE_IMAGE=node:22-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests \; \
 && cp package-lock.json /manifests/

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx turbo run build --filter=@copycloud/editor-app...
# /api/openapi.json and /api/reference as static files, from the services' own route definitions.
RUN node --import tsx --conditions=@copycloud/source launcher/src/export-api-reference.ts /app/api-reference

# Runtime: static files only, no Node, no node_modules.
FROM ${NGINX_IMAGE} AS runtime
COPY deploy/nginx/editor-app.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/editor-app/dist/ /usr/share/nginx/html/
COPY --from=build /app/api-reference/ /usr/share/nginx/html/
# uid 101 = nginx in the unprivileged image; listens on 8080, pid in /tmp.
USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
