# Cloud Run image for the scoring service. Multi-stage: dependencies are installed and the
# Apps Script/sidebar build is checked in the first stage; the runtime stage is a slim,
# non-root Node image with production dependencies only. The service runs its TypeScript
# through tsx (a production dependency), so worker threads and the kuromoji dictionary
# resolve exactly as in development.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-fund --no-audit

FROM deps AS build
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-fund --no-audit && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080 DATA_DIR=/tmp/workship-data DEV_PAGES=false SEED_ON_EMPTY=false TRAIN_SCHEDULE_ENABLED=false
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json tsconfig.base.json ./
COPY scoring-service/src ./scoring-service/src
COPY --from=build /app/sheets-addon/build ./sheets-addon/build
USER node
EXPOSE 8080
CMD ["node", "--import", "tsx", "scoring-service/src/main.ts"]
