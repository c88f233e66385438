# The one image of the service: the API (default command), the worker and the migration job all run from it.
# Debian slim, not Alpine: the Temporal worker's native core bridge ships prebuilt for glibc.
# The Node version follows .nvmrc.
ARG NODE_VERSION=22.23.3

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
# tsc keeps the source layout under dist/ (rootDir "."), so src/server.ts becomes dist/src/server.js.
RUN npm run build && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The operator console's static files (served by dist/src/console.js from /app/console).
COPY console ./console
USER node
EXPOSE 3000
# docker-compose.yml overrides the command for the worker (dist/src/worker.js) and the migration job
# (dist/src/scripts/db-migrate.js latest).
CMD ["node", "dist/src/server.js"]
