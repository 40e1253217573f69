#!/usr/bin/env bash
# libFuzzer and AFL++ on p2mfuzz, from a source tree (docs/ENGINES.md). ./run-fuzz.sh calls it as
#   Fuzz/native/run.sh CLI libfuzzer [libFuzzer flags] [--planted=NAME | --impl=SPEC...] [CORPUS_DIR...]
#   Fuzz/native/run.sh CLI afl [SECONDS] [--planted NAME | --impl SPEC...]
# where CLI is the built p2mfuzz.dll. It installs the Debian packages it needs when run as root (otherwise
# it prints the command), builds the sharpfuzz-instrumented engine, the seed inputs from corpus/ and, for
# libFuzzer, the native driver; then runs the engine and reports what it found. Everything it writes goes
# to fuzz-out/libfuzzer/ or fuzz-out/afl/. --planted NAME runs a planted-bug double (Targets/Planted) instead
# of the engine; --impl SPEC names the implementation (docs/PLUGINS.md), more than once for a three-way run.
# A native plugin built with AddressSanitizer needs nothing more: p2mfuzz preloads its runtime itself. Exit code: the fuzzer's (libFuzzer's), or triage's for AFL++ (0 nothing found, 1 a finding).
set -euo pipefail
cli=$1
engine=$2
shift 2
cd "$(dirname "$0")/../.."

# Debian packages: installed when we are root, else the exact command is printed and we stop.
require_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "== installing ${missing[*]} (apt-get)" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    else
        echo "run-fuzz.sh $engine needs Debian packages that are not installed; run:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 2
    fi
}

echo "== building the sharpfuzz-instrumented engine (Targets/Planted, -p:P2MInstrumentEngine=true)" >&2
dotnet build Targets/Planted -c Release -p:P2MInstrumentEngine=true -nologo -v quiet >&2
instrumented=$PWD/Targets/Planted/bin-il/Release/net10.0

impl=()
planted_impl() { impl+=("--impl" "assembly:$instrumented/P2M.Planted.dll:$1"); }

seeds=fuzz-out/seeds
echo "== seed inputs: corpus/ -> $seeds" >&2
rm -rf "$seeds"
dotnet "$cli" seeds corpus --out "$seeds" >&2
# One input that always passes (mini, one lookup), so a fuzzer never starts from crashing seeds only. Not an
# empty one: a native implementation's coverage is its code's edges, and with no operation there are none,
# which afl-fuzz takes for a target without instrumentation.
printf 'geometry mini\nlookup gfn=0x0\n' > "$seeds/lookup-mini.p2m"
dotnet "$cli" encode "$seeds/lookup-mini.p2m" "$seeds/lookup-mini" >&2
rm "$seeds/lookup-mini.p2m"

report_repros() {
    local found=0
    for repro in "$@"; do
        [ -e "$repro" ] || continue
        found=1
        echo "== repro: $repro"
        grep -m 1 '^# signature:' "$repro" || true
    done
    [ "$found" -eq 1 ] || echo "== no findings"
}

case "$engine" in
libfuzzer)
    require_packages clang-16 libfuzzer-16-dev
    out=fuzz-out/libfuzzer
    mkdir -p "$out/corpus" "$out/artifacts"
    driver=$out/p2m_fuzzer
    if [ ! -x "$driver" ] || [ Fuzz/native/p2m_fuzzer.c -nt "$driver" ]; then
        Fuzz/native/build.sh "$driver"
    fi
    flags=()
    dirs=()
    prefix=""
    while [ "$#" -gt 0 ]; do
        case "$1" in
        --planted=*) planted_impl "${1#--planted=}" ;;
        --impl=*) impl+=("--impl" "${1#--impl=}") ;;
        -artifact_prefix=*) prefix=${1#-artifact_prefix=}; flags+=("$1") ;;
        -*) flags+=("$1") ;;
        *) dirs+=("$1") ;;
        esac
        shift
    done
    if [ -z "$prefix" ]; then
        prefix=$out/artifacts/
        flags+=("-artifact_prefix=$prefix")
    fi
    # libFuzzer's usual layout: the first directory is the corpus it writes to, the rest are read.
    [ "${#dirs[@]}" -gt 0 ] || dirs=("$out/corpus" "$seeds")
    target=("--target_path=dotnet" "--target_arg=$cli" "--target_arg=libfuzzer")
    for arg in "${impl[@]}"; do target+=("--target_arg=$arg"); done
    echo "== libFuzzer: $driver ${flags[*]} ${dirs[*]}${impl:+ (${impl[*]})}" >&2
    status=0
    "$driver" "${target[@]}" "${flags[@]}" "${dirs[@]}" || status=$?
    echo "== libFuzzer exit $status; artifacts in $prefix"
    report_repros "$prefix"*.p2m
    exit "$status"
    ;;
afl)
    seconds=60
    if [ "$#" -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
        seconds=$1
        shift
    fi
    while [ "$#" -gt 0 ]; do
        case "$1" in
        --planted) planted_impl "$2"; shift ;;
        --planted=*) planted_impl "${1#--planted=}" ;;
        --impl) impl+=("--impl" "$2"); shift ;;
        --impl=*) impl+=("--impl" "${1#--impl=}") ;;
        *) echo "run-fuzz.sh afl: unknown argument $1 (expected [SECONDS] [--planted NAME | --impl SPEC...])" >&2; exit 2 ;;
        esac
        shift
    done
    require_packages afl++
    out=fuzz-out/afl
    rm -rf "$out"
    # What a .NET target needs under afl-fuzz: the binary is dotnet (instrumented in IL, not by afl-cc),
    # the fork server is SharpFuzz's (slow to start), the map holds the IL edges and then the probes,
    # and the JIT wants more memory than any default limit.
    export AFL_SKIP_BIN_CHECK=1 AFL_FORKSRV_INIT_TMOUT=120000 AFL_MAP_SIZE=66560
    export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
    [ -t 1 ] || export AFL_NO_UI=1
    target=(dotnet "$cli" afl "${impl[@]}")
    echo "== afl-fuzz for $seconds s: afl-fuzz -i $seeds -o $out -m none -t 5000 -V $seconds -- ${target[*]}" >&2
    afl_status=0
    afl-fuzz -i "$seeds" -o "$out" -m none -t 5000 -V "$seconds" -- "${target[@]}" >&2 || afl_status=$?
    stats=$out/default/fuzzer_stats
    if [ -f "$stats" ]; then
        grep -E '^(execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs) ' "$stats" || true
    fi
    echo "== afl-fuzz exit $afl_status; crashes in $out/default/crashes"
    status=0
    if compgen -G "$out/default/crashes/id:*" > /dev/null; then
        dotnet "$cli" triage "$out/default/crashes" "${impl[@]}" || status=$?
        report_repros "$out"/default/crashes/*.p2m
    else
        echo "== no findings"
    fi
    [ "$afl_status" -eq 0 ] || exit "$afl_status"
    exit "$status"
    ;;
*)
    echo "Fuzz/native/run.sh: unknown engine $engine (libfuzzer or afl)" >&2
    exit 2
    ;;
esac
