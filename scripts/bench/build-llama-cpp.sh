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

# GGML_NATIVE compiles for this CPU's instruction set, so a cache carried to another CPU (a new CI or cloud
# host) can die with "Illegal instruction"; the build is redone when the CPU's flags differ from the build's.
cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m)
built_for=$(cat "$src/build/cpu-flags.txt" 2>/dev/null || true)
if [ -x "$bin/llama-bench" ] && [ -x "$bin/llama-quantize" ] && [ "$built_for" = "$cpu_flags" ]; then
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
if [ -d build ] && [ "$built_for" != "$cpu_flags" ]; then
  echo "build-llama-cpp: the cached build is for another CPU; rebuilding" >&2
  rm -rf build
fi
echo "build-llama-cpp: configuring (Release, no curl, no OpenSSL)" >&2
# On x86 the instruction sets are named from the CPU's flags instead of -march=native, so that AMX can be left
# out: a VM may list amx_tile yet fault on its first tile instruction (seen here: "Illegal instruction" in
# ggml's AMX kernel during prompt processing). Elsewhere GGML_NATIVE is used as is.
arch_options=""
case "$cpu_flags" in
  *" avx2"*)
    arch_options="-DGGML_NATIVE=OFF"
    for pair in sse4_2:SSE42 avx:AVX f16c:F16C avx2:AVX2 bmi2:BMI2 fma:FMA avx_vnni:AVX_VNNI avx512f:AVX512 \
      avx512vbmi:AVX512_VBMI avx512_vnni:AVX512_VNNI avx512_bf16:AVX512_BF16; do
      case " $cpu_flags " in *" ${pair%%:*} "*) arch_options="$arch_options -DGGML_${pair#*:}=ON" ;; esac
    done ;;
esac
echo "build-llama-cpp: instruction sets: ${arch_options:-native}" >&2
# shellcheck disable=SC2086 # arch_options is a list of words
nice -n 10 cmake -B build -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DCMAKE_BUILD_TYPE=Release $arch_options >&2
echo "build-llama-cpp: building llama-bench and llama-quantize with -j$jobs (tens of minutes)" >&2
nice -n 10 cmake --build build --target llama-bench llama-quantize -j"$jobs" >&2
printf '%s' "$cpu_flags" > build/cpu-flags.txt
echo "$bin"
