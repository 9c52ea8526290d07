# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native SQLite binding.
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# npm ci runs "prepare", which compiles src/ to dist/.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Runtime stage: production dependencies only, non-root user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production DEALBOT_DB=/data/dealbot.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY briefs ./briefs
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Slack HTTP mode listens here (SLACK_PORT); Socket Mode and Discord need no port.
EXPOSE 3000
CMD ["node", "dist/cli/index.js", "run"]
