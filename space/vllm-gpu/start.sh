#!/bin/sh
# Starts vLLM's OpenAI-compatible server for the model version this Space serves.
#   variables: MODEL_REPO (owner/name), MODEL_REVISION (commit sha or branch), CONTEXT_SIZE (tokens),
#              GPU_MEMORY_UTILIZATION (share of the GPU's memory vLLM may take)
#   secrets:   HF_TOKEN (reads a private model repo; vLLM's downloader reads it from the environment),
#              TRIAD_SPACE_API_KEY (the key Triad's facade sends)
set -eu

: "${MODEL_REPO:?set the Space variable MODEL_REPO (owner/name of the model repository)}"
: "${TRIAD_SPACE_API_KEY:?set the Space secret TRIAD_SPACE_API_KEY: without it anyone could call this Space}"
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
  --api-key "${TRIAD_SPACE_API_KEY}"
