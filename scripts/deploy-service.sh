#!/usr/bin/env bash
# Deploys the scoring service to Cloud Run on BigQuery and creates the Cloud Scheduler job
# that triggers the daily training batch with an OIDC token.
#
# Required: PROJECT_ID. Optional: REGION (asia-northeast1), SERVICE (workship-ml),
# BQ_DATASET (workship), BQ_LOCATION (asia-northeast1), RUNTIME_SA, SCHEDULER_SA,
# ALLOWLIST (email=role,… for Google identities: annotators, Workship's caller, admins).
set -euo pipefail
: "${PROJECT_ID:?set PROJECT_ID}"
REGION="${REGION:-asia-northeast1}"
SERVICE="${SERVICE:-workship-ml}"
BQ_DATASET="${BQ_DATASET:-workship}"
BQ_LOCATION="${BQ_LOCATION:-asia-northeast1}"
RUNTIME_SA="${RUNTIME_SA:-workship-ml-runtime@${PROJECT_ID}.iam.gserviceaccount.com}"
SCHEDULER_SA="${SCHEDULER_SA:-workship-ml-scheduler@${PROJECT_ID}.iam.gserviceaccount.com}"
ALLOWLIST="${ALLOWLIST:-}"
IMAGE="${REGION}-docker.pkg.dev/${PROJECT_ID}/workship/${SERVICE}:$(git rev-parse --short HEAD 2>/dev/null || date +%s)"

echo "building ${IMAGE}"
gcloud builds submit --project "${PROJECT_ID}" --tag "${IMAGE}" .

URL_GUESS="$(gcloud run services describe "${SERVICE}" --project "${PROJECT_ID}" --region "${REGION}" --format='value(status.url)' 2>/dev/null || true)"

# The scheduler's identity must be an admin to call POST /v1/train.
FULL_ALLOWLIST="${ALLOWLIST:+${ALLOWLIST},}${SCHEDULER_SA}=admin"

gcloud run deploy "${SERVICE}" \
  --project "${PROJECT_ID}" --region "${REGION}" --image "${IMAGE}" \
  --service-account "${RUNTIME_SA}" \
  --no-allow-unauthenticated \
  --memory 2Gi --cpu 2 --concurrency 80 --timeout 900 \
  --set-env-vars "^@^WAREHOUSE=bigquery@BQ_PROJECT=${PROJECT_ID}@BQ_DATASET=${BQ_DATASET}@BQ_LOCATION=${BQ_LOCATION}@GOOGLE_ALLOWLIST=${FULL_ALLOWLIST}@GIT_COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)@GOOGLE_AUDIENCE=${URL_GUESS:-pending}"

URL="$(gcloud run services describe "${SERVICE}" --project "${PROJECT_ID}" --region "${REGION}" --format='value(status.url)')"
if [ "${URL_GUESS}" != "${URL}" ]; then
  # First deploy: the audience is the service URL, known only now.
  gcloud run services update "${SERVICE}" --project "${PROJECT_ID}" --region "${REGION}" --update-env-vars "GOOGLE_AUDIENCE=${URL}"
fi

gcloud run services add-iam-policy-binding "${SERVICE}" --project "${PROJECT_ID}" --region "${REGION}" \
  --member "serviceAccount:${SCHEDULER_SA}" --role roles/run.invoker >/dev/null

JOB="${SERVICE}-daily-training"
ARGS=(--project "${PROJECT_ID}" --location "${REGION}" --schedule "0 4 * * *" --time-zone "Asia/Tokyo"
  --uri "${URL}/v1/train" --http-method POST --headers "Content-Type=application/json"
  --message-body '{"reason":"daily schedule"}' --oidc-service-account-email "${SCHEDULER_SA}" --oidc-token-audience "${URL}"
  --attempt-deadline 900s)
if gcloud scheduler jobs describe "${JOB}" --project "${PROJECT_ID}" --location "${REGION}" >/dev/null 2>&1; then
  gcloud scheduler jobs update http "${JOB}" "${ARGS[@]}"
else
  gcloud scheduler jobs create http "${JOB}" "${ARGS[@]}"
fi
echo "deployed ${URL}; daily training job ${JOB} at 04:00 Asia/Tokyo"
