# The FinOps toolkit in a container: the viewer serves the reports of /data,
# and the finops command is on the PATH for writing them.
#
#   docker build -t finops .
#   docker run --rm -v "$PWD:/data" finops finops run calls.csv
#   docker run -d -p 8000:8000 -v "$PWD:/data" \
#     -e FINOPS_VIEWER_USER=ops -e FINOPS_VIEWER_PASSWORD=change-me finops
#
# docs/deploy.md explains each setting.

# ---- build: the same install and build as CI (.ci/run) ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CI=true NX_NO_CLOUD=true NX_DAEMON=false
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build
# Only what the commands need at run time stays.
RUN npm prune --omit=dev --no-audit --no-fund

# ---- run: slim Node 20, not root ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
COPY --from=build /app /app
RUN ln -s /app/apps/cli/bin/finops.js /usr/local/bin/finops \
    && mkdir -p /data \
    && chown node:node /data
# Logs in, reports out: mount a folder here.
VOLUME ["/data"]
WORKDIR /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "/app/apps/viewer/dist/healthcheck.js"]
# Bound to every interface inside the container only; it warns at start when
# FINOPS_VIEWER_USER and FINOPS_VIEWER_PASSWORD are not set.
CMD ["node", "/app/apps/viewer/dist/main.js", "--dir", "finops-reports"]
