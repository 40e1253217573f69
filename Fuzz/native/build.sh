#!/usr/bin/env bash
# Builds the native libFuzzer driver: Fuzz/native/build.sh [OUTPUT] (default Fuzz/native/build/p2m_fuzzer).
# Uses $CC (default clang-16) and links libFuzzer with $LIB_FUZZING_ENGINE (default -fsanitize=fuzzer), so
# ClusterFuzzLite's build.sh can call it with its own compiler, sanitizer $CFLAGS and engine. The driver's
# own code is compiled without coverage instrumentation: its edges would only be noise beside the target's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build/p2m_fuzzer}
cc=${CC:-clang-16}
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # CFLAGS and LIB_FUZZING_ENGINE are flag lists
"$cc" ${CFLAGS:-} -fno-sanitize=fuzzer-no-link -O2 -Wall -Wextra -Werror -c "$here/p2m_fuzzer.c" -o "$out.o"
# shellcheck disable=SC2086
"$cc" ${CFLAGS:-} ${LIB_FUZZING_ENGINE:--fsanitize=fuzzer} "$out.o" -o "$out"
rm -f "$out.o"
echo "built $out" >&2
