# Firebreak: one image for both processes.
#   API (default):  node dist/apps/api/src/main.js
#   worker:         node dist/apps/worker/src/main.js   (same image, command overridden)
# Settings come from the environment (core/config.ts); see docker-compose.yml and docs/operations.md.

# ---- build: install everything, compile TypeScript to dist/, then drop dev dependencies ----
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so a source-only change reuses this layer. No install scripts are
# needed: the Temporal core bridge and @swc/core ship prebuilt native binaries.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# .dockerignore lets in only what tsconfig.build.json compiles (and never .env or .data/).
COPY . .
# The console (apps/web) is built here too: the API serves apps/web/dist (WEB_ROOT).
RUN npm run build \
 && npx vite build --config apps/web/vite.config.ts \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- certs: openssl for docker-compose.yml's one-shot `certs` service, which mounts and runs
# scripts/compose-certs.sh (the mTLS CA and certificates). Not part of the runtime image. ----
FROM node:20.20.2-bookworm-slim AS certs
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/*

# ---- runtime: compiled code and production dependencies only, as a non-root user ----
FROM node:20.20.2-bookworm-slim AS runtime

# tini runs as PID 1, forwarding signals and reaping. The kernel drops signals PID 1 has no
# handler for, and Nest re-raises SIGTERM on itself after its shutdown hooks (app.ts enables
# them): as PID 1 that re-raise would be lost. Any orchestrator gets this, not only compose.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Inside a container loopback is unreachable from outside, so listen on all interfaces.
# Source maps make stack traces point at the TypeScript sources' lines.
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=3000

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
# dist/workflows stays in the image: the worker bundles workflow code from it at start
# (webpack ships inside @temporalio/worker, a production dependency).
COPY --from=build /app/dist ./dist
# The built console, served by the API at / (static files only: no sources, no node_modules).
COPY --from=build /app/apps/web/dist ./apps/web/dist

# Files stay root-owned and read-only to the process; `node` (uid 1000) comes with the image.
USER node
EXPOSE 3000

# No HEALTHCHECK here: the worker shares this image and serves no HTTP. docker-compose.yml
# gives the API its check (GET /healthz); orchestrators should probe /healthz and /readyz.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
