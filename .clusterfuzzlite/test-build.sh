#!/usr/bin/env bash
# Runs build.sh outside a container, as OSS-Fuzz's helper would inside one: a fresh $SRC (holding this
# checkout as $SRC/p2mfuzz), $OUT and $WORK; clang-16 with AddressSanitizer and libFuzzer. Then checks
# what it installed and runs the resulting $OUT/p2m_fuzzer: a few seconds on the engine from the seed
# corpus (must run and find nothing), then on a planted-bug double (must find it, abort with libFuzzer's
# crash artifact, and leave the minimised .p2m beside it). Exit 0 when all of that holds.
#   .clusterfuzzlite/test-build.sh [SECONDS]      (default 5 for each run)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-5}
scratch=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$scratch"' EXIT
export SRC=$scratch/src OUT=$scratch/out WORK=$scratch/work
mkdir -p "$SRC" "$OUT" "$WORK"
ln -s "$repo" "$SRC/p2mfuzz"
export CC=${CC:-clang-16} CXX=${CXX:-clang++-16}
export CFLAGS="-O1 -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer

fail() { echo "test-build: FAIL: $*" >&2; exit 1; }

echo "== build.sh (SRC=$SRC OUT=$OUT WORK=$WORK)"
bash "$repo/.clusterfuzzlite/build.sh"
for f in p2m_fuzzer p2m_fuzzer.dotnet/p2mfuzz p2m_fuzzer.dotnet/instrumented/P2M.Engine.dll \
         p2m_fuzzer.dotnet/instrumented/P2M.Planted.dll p2m_fuzzer_seed_corpus.zip p2m_fuzzer.dict p2m_fuzzer.options; do
    [ -e "$OUT/$f" ] || fail "build.sh did not install \$OUT/$f"
done
mkdir -p "$WORK/test-seeds" "$WORK/corpus" "$WORK/artifacts"
(cd "$WORK/test-seeds" && unzip -q "$OUT/p2m_fuzzer_seed_corpus.zip")
[ "$(ls "$WORK/test-seeds" | wc -l)" -gt 1 ] || fail "the seed corpus is empty"

echo "== \$OUT/p2m_fuzzer on the engine for $seconds s"
(cd "$OUT" && ./p2m_fuzzer -max_total_time="$seconds" -dict=p2m_fuzzer.dict -artifact_prefix="$WORK/artifacts/" \
    "$WORK/corpus" "$WORK/test-seeds") > "$WORK/engine.log" 2>&1 || { tail -30 "$WORK/engine.log"; fail "p2m_fuzzer failed on the engine"; }
grep -E '^#[0-9]+[[:space:]]+DONE' "$WORK/engine.log" || fail "no DONE line from libFuzzer"

echo "== \$OUT/p2m_fuzzer on a planted double (SkipsTlbFlush), up to $((seconds * 6)) s: must find it"
status=0
(cd "$OUT" && ./p2m_fuzzer -max_total_time=$((seconds * 6)) -artifact_prefix="$WORK/artifacts/" \
    --impl="assembly:$OUT/p2m_fuzzer.dotnet/instrumented/P2M.Planted.dll:SkipsTlbFlush" "$WORK/corpus") \
    > "$WORK/planted.log" 2>&1 || status=$?
[ "$status" -ne 0 ] || { tail -20 "$WORK/planted.log"; fail "p2m_fuzzer did not find the planted bug"; }
crash=$(find "$WORK/artifacts" -name 'crash-*' ! -name '*.p2m' | head -n 1)
[ -n "$crash" ] || { tail -20 "$WORK/planted.log"; fail "no crash-<sha1> artifact"; }
[ -f "$crash.p2m" ] || fail "no minimised repro beside $crash"
grep -q '^# signature: .*tlb\|^# signature: .*bbm' "$crash.p2m" || fail "the repro is not the TLB bug: $(head -3 "$crash.p2m")"
echo "== found: $(basename "$crash") and its repro:"
cat "$crash.p2m"
echo "test-build: PASS"
