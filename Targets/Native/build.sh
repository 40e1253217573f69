#!/usr/bin/env bash
# Builds the sample native P2M (Targets/Native/sample, docs/PLUGINS.md) into OUT (default Targets/Native/out):
#   libp2m_sample.so                   the sample, correct
#   libp2m_sample_planted_semantic.so  planted: unmap forgets a foreign entry's reference
#   libp2m_sample_planted_oob.so       planted: a heap write one byte past a metadata page (ASan reports it)
# Each is built with $CC (default clang-16), -fsanitize=address,undefined (UBSan traps into ASan's report)
# and -fsanitize-coverage=inline-8bit-counters, so its own edges are the campaign's coverage. Load them
# with `p2mfuzz ... --impl native:OUT/libp2m_sample.so`; p2mfuzz preloads the ASan runtime in its workers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/out}
cc=${CC:-clang-16}
if ! command -v "$cc" > /dev/null; then
    echo "build.sh: $cc not found: install it (Debian/Ubuntu: apt-get install -y clang-16) or set CC" >&2
    exit 127
fi
mkdir -p "$out"
# The library records where its ASan runtime lives (RUNPATH), so p2mfuzz can preload that very file.
asan_dir=$(dirname "$("$cc" -print-file-name=libclang_rt.asan-x86_64.so)")
flags=(-std=c11 -O1 -g -fPIC -shared -Wall -Wextra -Werror -fvisibility=hidden
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -shared-libasan
    -fsanitize-coverage=inline-8bit-counters -Wl,-rpath,"$asan_dir" -I"$here/include")
sources=("$here/sample/p2m_sample.c" "$here/sample/p2m_reads.c" "$here/sample/p2m_abi.c")
build() { # NAME [DEFINE]
    "$cc" "${flags[@]}" ${2:+-D"$2"} "${sources[@]}" -o "$out/$1.tmp" && mv "$out/$1.tmp" "$out/$1"
}
build libp2m_sample.so
build libp2m_sample_planted_semantic.so P2M_SAMPLE_PLANT_SEMANTIC
build libp2m_sample_planted_oob.so P2M_SAMPLE_PLANT_OOB
echo "built $out/libp2m_sample.so (+ _planted_semantic, _planted_oob)" >&2
