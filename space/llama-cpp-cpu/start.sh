#!/bin/sh
# Starts llama-server for the model version this Space serves.
#   variables: MODEL_REPO (owner/name), MODEL_REVISION (commit sha or branch), MODEL_FILE (the GGUF in the repo),
#              CONTEXT_SIZE (tokens), PARALLEL (concurrent sequences)
#   secrets:   HF_TOKEN (reads a private model repo), TRIAD_SPACE_API_KEY (the key Triad's facade sends)
set -eu

: "${MODEL_REPO:?set the Space variable MODEL_REPO (owner/name of the model repository)}"
: "${MODEL_FILE:?set the Space variable MODEL_FILE (the GGUF file in the repository)}"
# A private Space (what Triad deploys) is guarded by the Hub: only a token of its owner reaches it. A public one
# needs TRIAD_SPACE_API_KEY, which the server then asks of every caller.
if [ -z "${TRIAD_SPACE_API_KEY:-}" ] && [ "${SPACE_PUBLIC:-false}" = "true" ]; then
  echo "set the Space secret TRIAD_SPACE_API_KEY: a public Space without one answers anyone" >&2
  exit 1
fi
MODEL_REVISION="${MODEL_REVISION:-main}"
CONTEXT_SIZE="${CONTEXT_SIZE:-4096}"
PARALLEL="${PARALLEL:-2}"
HUB="${HF_ENDPOINT:-https://huggingface.co}"

# The revision is pinned through the resolve URL: llama-server's --hf-repo always takes the main branch.
# llama-server sends HF_TOKEN as the bearer token of the download when it is set.
exec /app/llama-server \
  --model-url "${HUB}/${MODEL_REPO}/resolve/${MODEL_REVISION}/${MODEL_FILE}" \
  --ctx-size "${CONTEXT_SIZE}" \
  --parallel "${PARALLEL}" \
  --alias "${MODEL_REPO}@${MODEL_REVISION}" \
  --jinja \
  ${TRIAD_SPACE_API_KEY:+--api-key "$TRIAD_SPACE_API_KEY"}
