# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native SQLite binding.
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Dependencies first, so editing src/ does not recompile the SQLite binding (about two minutes).
# "prepare" (scripts/ensure-build.mjs) has no src/ to build yet and does nothing.
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies only, non-root user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production DEALBOT_DB=/data/dealbot.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Defaults baked in; mount your own over /app/config and /app/briefs (read-only) to edit them
# without rebuilding: the bot reloads both when they change (README, "Docker").
COPY config ./config
COPY briefs ./briefs
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Slack HTTP mode listens here (SLACK_PORT); Socket Mode and Discord need no port.
EXPOSE 3000
# `dealbot health`: the database opens, the bot's heartbeat (written beside the database every
# 30 s) is fresh, its chat connections are up, and a feed polled successfully lately. Exit 0 or 1.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["node", "dist/cli/index.js", "health"]
CMD ["node", "dist/cli/index.js", "run"]
