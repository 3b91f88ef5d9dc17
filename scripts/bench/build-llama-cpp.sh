#!/bin/sh
# Builds llama.cpp's own tools the local-inference bench needs (llama-bench, llama-quantize) from the exact llama.cpp source
# node-llama-cpp ships (its git bundle), so the benchmark compares the provider against the same code.
# The build lives in a cache folder outside the repository (binaries are never committed); it is skipped
# when the binaries are already there. Takes tens of minutes on 2 cores, so it runs under `nice`.
#
#   scripts/bench/build-llama-cpp.sh            # prints the folder holding the binaries
#   TRIAD_BENCH_CACHE=/some/dir scripts/bench/build-llama-cpp.sh
set -eu

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
bundle="$repo_root/node_modules/node-llama-cpp/llama/gitRelease.bundle"
info="$repo_root/node_modules/node-llama-cpp/llama/llama.cpp.info.json"
cache="${TRIAD_BENCH_CACHE:-$HOME/.cache/triad-bench}"
src="$cache/llama.cpp"
bin="$src/build/bin"
jobs="${TRIAD_BENCH_BUILD_JOBS:-2}"

if [ -x "$bin/llama-bench" ] && [ -x "$bin/llama-quantize" ]; then
  echo "$bin"
  exit 0
fi

[ -f "$bundle" ] || { echo "build-llama-cpp: no llama.cpp bundle at $bundle (is node-llama-cpp installed?)" >&2; exit 1; }
command -v cmake >/dev/null || { echo "build-llama-cpp: cmake is missing (apt-get install -y cmake)" >&2; exit 1; }

mkdir -p "$cache"
if [ ! -d "$src/.git" ]; then
  echo "build-llama-cpp: cloning $(grep -o '"tag": *"[^"]*"' "$info" || echo 'the bundle') into $src" >&2
  git clone --quiet "$bundle" "$src"
fi

cd "$src"
echo "build-llama-cpp: configuring (Release, no curl, no OpenSSL)" >&2
nice -n 10 cmake -B build -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DCMAKE_BUILD_TYPE=Release >&2
echo "build-llama-cpp: building llama-bench and llama-quantize with -j$jobs (tens of minutes)" >&2
nice -n 10 cmake --build build --target llama-bench llama-quantize -j"$jobs" >&2
echo "$bin"
