#!/usr/bin/env bash
# The comparison of docs/ENGINES.md: the in-process campaign (semantic, il, both), libFuzzer and AFL++,
# with the same budget on one machine, one process each. For each engine: exec/s and features on the
# honest engine in BUDGET seconds; then, for each planted-bug double, the seconds until the first finding
# (capped at BUDGET), every run starting from nothing (no seed corpus, the same seed).
#   Fuzz/native/measure.sh [BUDGET]     (default 30; run ./run-fuzz.sh libfuzzer -runs=1 and
#                                        ./run-fuzz.sh afl 1 first so everything is built and installed)
# Prints a Markdown table per measure. Needs: the Release p2mfuzz with --coverage and --impl on fuzz,
# the instrumented build (Targets/Planted/bin-il), fuzz-out/libfuzzer/p2m_fuzzer, afl-fuzz.
set -uo pipefail
cd "$(dirname "$0")/../.."
budget=${1:-30}
cli=$PWD/Fuzz/Cli/bin/Release/net10.0/p2mfuzz.dll
plain=$PWD/Targets/Planted/bin/Release/net10.0/P2M.Planted.dll
il=$PWD/Targets/Planted/bin-il/Release/net10.0/P2M.Planted.dll
driver=$PWD/fuzz-out/libfuzzer/p2m_fuzzer
doubles=(SkipsTlbFlush SkipsBreak KeepsGrantGfn KeepsForeignReference WritesThroughSharedIdentity
         LeaksMapcacheSlot UsesStaleMapcacheSlot TeardownForgetsPageInfo LosesSuperpageOnFailedSplit)
engines=(semantic il both libfuzzer afl)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build Targets/Planted -c Release -nologo -v quiet > /dev/null
export AFL_SKIP_BIN_CHECK=1 AFL_FORKSRV_INIT_TMOUT=120000 AFL_MAP_SIZE=66560 AFL_SKIP_CPUFREQ=1 \
       AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
# Only for the doubles: AFL++ stops at its first crash, as libFuzzer does (set per run below).
unset AFL_BENCH_UNTIL_CRASH

# impl ENGINE DOUBLE: the --impl for a double (instrumented only where IL edges are read), or the engine.
impl() {
    if [ -z "$2" ]; then echo engine; elif [ "$1" = semantic ]; then echo "assembly:$plain:$2"; else echo "assembly:$il:$2"; fi
}

# run ENGINE DOUBLE SECONDS: runs it in $work/run; prints "seconds-to-first-finding exec/s features" (- when not measured).
run() {
    local engine=$1 double=$2 seconds=$3 dir=$work/run spec
    spec=$(impl "$engine" "$double")
    rm -rf "$dir" && mkdir -p "$dir/corpus" "$dir/crashes" "$dir/in"
    local start=$EPOCHREALTIME found=- rate=- features=-
    case "$engine" in
    semantic | il | both)
        timeout $((seconds + 60)) dotnet "$cli" fuzz --time "$seconds" --seed 1 --geometry both --coverage "$engine" \
            --impl "$spec" --crashes "$dir/crashes" > "$dir/out" 2> "$dir/err"
        if [ -n "$double" ] && compgen -G "$dir/crashes/*.p2m" > /dev/null; then
            # The campaign stores a finding as soon as it is minimised: its file's birth is the time.
            found=$(python3 -c 'import os,sys,glob; t=min(os.stat(p).st_mtime for p in glob.glob(sys.argv[1]+"/*.p2m")); print(f"{t-float(sys.argv[2]):.1f}")' "$dir/crashes" "$start")
        fi
        rate=$(grep -o '([0-9]* exec/s' "$dir/out" | tr -dc 0-9)
        features=$(grep -o '[0-9]* features' "$dir/out" | tr -dc 0-9)
        ;;
    libfuzzer)
        (cd "$dir" && timeout $((seconds + 60)) "$driver" --target_path=dotnet --target_arg="$cli" --target_arg=libfuzzer \
            --impl="$spec" -seed=1 -max_total_time="$seconds" -artifact_prefix="$dir/crashes/" corpus > out 2>&1)
        if [ -n "$double" ] && compgen -G "$dir/crashes/crash-*.p2m" > /dev/null; then
            found=$(python3 -c 'import os,sys,glob; t=min(os.stat(p).st_mtime for p in glob.glob(sys.argv[1]+"/crash-*.p2m")); print(f"{t-float(sys.argv[2]):.1f}")' "$dir/crashes" "$start")
        fi
        local done_line
        done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$dir/out" | tail -1)
        if [ -n "$done_line" ]; then
            rate=$(echo "$done_line" | grep -o 'exec/s: [0-9]*' | tr -dc 0-9)
            features=$(echo "$done_line" | grep -o 'ft: [0-9]*' | tr -dc 0-9)
        fi
        ;;
    afl)
        printf '\0' > "$dir/in/empty-mini"
        AFL_BENCH_UNTIL_CRASH=${double:+1} timeout $((seconds + 120)) afl-fuzz -i "$dir/in" -o "$dir/afl" -m none -t 5000 -s 1 -V "$seconds" \
            -- dotnet "$cli" afl --impl "$spec" > "$dir/out" 2>&1
        local crash
        crash=$(ls "$dir/afl/default/crashes" 2> /dev/null | grep -m 1 '^id:')
        # AFL++ names each crash with the milliseconds since it started fuzzing.
        [ -n "$double" ] && [ -n "$crash" ] && found=$(echo "$crash" | sed -n 's/.*time:\([0-9]*\).*/\1/p' | awk '{printf "%.1f", $1 / 1000}')
        local stats=$dir/afl/default/fuzzer_stats
        if [ -f "$stats" ]; then
            rate=$(awk '/^execs_per_sec/ {printf "%d", $3}' "$stats")
            features=$(awk '/^edges_found/ {print $3}' "$stats")
        fi
        ;;
    esac
    echo "$found $rate $features"
}

echo "## Honest engine, $budget s each"
echo
echo "| engine | exec/s | features |"
echo "|---|---|---|"
for engine in "${engines[@]}"; do
    read -r _ rate features < <(run "$engine" "" "$budget")
    echo "| $engine | $rate | $features |"
done
echo
echo "## Seconds to the first finding (- : none within $budget s)"
echo
echo "| double | in-process semantic | in-process il | in-process both | libFuzzer | AFL++ |"
echo "|---|---|---|---|---|---|"
for double in "${doubles[@]}"; do
    row="| $double |"
    for engine in "${engines[@]}"; do
        read -r found _ _ < <(run "$engine" "$double" "$budget")
        row="$row $found |"
    done
    echo "$row"
done
