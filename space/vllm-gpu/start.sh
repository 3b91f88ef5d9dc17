#!/bin/sh
# Starts vLLM's OpenAI-compatible server for the model version this Space serves.
#   variables: MODEL_REPO (owner/name), MODEL_REVISION (commit sha or branch), CONTEXT_SIZE (tokens),
#              GPU_MEMORY_UTILIZATION (share of the GPU's memory vLLM may take)
#   secrets:   HF_TOKEN (reads a private model repo; vLLM's downloader reads it from the environment),
#              TRIAD_SPACE_API_KEY (the key Triad's facade sends)
set -eu

: "${MODEL_REPO:?set the Space variable MODEL_REPO (owner/name of the model repository)}"
# A private Space (what Triad deploys) is guarded by the Hub: only a token of its owner reaches it. A public one
# needs TRIAD_SPACE_API_KEY, which the server then asks of every caller.
if [ -z "${TRIAD_SPACE_API_KEY:-}" ] && [ "${SPACE_PUBLIC:-false}" = "true" ]; then
  echo "set the Space secret TRIAD_SPACE_API_KEY: a public Space without one answers anyone" >&2
  exit 1
fi
MODEL_REVISION="${MODEL_REVISION:-main}"
CONTEXT_SIZE="${CONTEXT_SIZE:-4096}"
GPU_MEMORY_UTILIZATION="${GPU_MEMORY_UTILIZATION:-0.9}"

exec python3 -m vllm.entrypoints.openai.api_server \
  --host 0.0.0.0 \
  --port 7860 \
  --model "${MODEL_REPO}" \
  --revision "${MODEL_REVISION}" \
  --served-model-name "${MODEL_REPO}@${MODEL_REVISION}" \
  --max-model-len "${CONTEXT_SIZE}" \
  --gpu-memory-utilization "${GPU_MEMORY_UTILIZATION}" \
  ${TRIAD_SPACE_API_KEY:+--api-key "$TRIAD_SPACE_API_KEY"}
