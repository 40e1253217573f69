#!/usr/bin/env bash
# The project's front door. Builds the p2mfuzz command line (Fuzz/Cli) in Release, then:
#   ./run-fuzz.sh              a short default campaign: 60 s, both geometries, seeded from the
#                              committed corpus/; new coverage goes to fuzz-out/corpus, findings
#                              (as found and minimised) to fuzz-out/crashes, stats to
#                              fuzz-out/stats.jsonl and the HTML report to fuzz-out/report.html
#   ./run-fuzz.sh libfuzzer|afl  libFuzzer or AFL++ through SharpFuzz (below; docs/ENGINES.md)
#   ./run-fuzz.sh COMMAND ...  runs p2mfuzz COMMAND (gate, fuzz, minimize, replay, merge, report,
#                              show, encode; --help lists them) with the rest of the arguments, e.g.
#                              ./run-fuzz.sh fuzz --impl native:Targets/Native/out/libp2m_sample.so
# The sample native implementation (Targets/Native, docs/PLUGINS.md) is built first when clang-16 is
# installed and its sources changed; without clang-16 this says how to get it and goes on.
# Exit code: p2mfuzz's (0 clean, 1 a finding or a failing script, 2 usage or parse error).
set -euo pipefail
cd "$(dirname "$0")"

echo "== building Fuzz/Cli (Release)" >&2
dotnet build Fuzz/Cli -c Release -nologo -v quiet >&2
# Ask MSBuild where the dll went rather than guessing the bin/ layout.
cli=$(dotnet msbuild Fuzz/Cli -nologo -p:Configuration=Release -getProperty:TargetPath)

sample=Targets/Native/out/libp2m_sample.so
if command -v clang-16 > /dev/null; then
    if [ ! -e "$sample" ] || [ -n "$(find Targets/Native/include Targets/Native/sample Targets/Native/build.sh -newer "$sample" -print -quit)" ]; then
        echo "== building the sample native implementation ($sample)" >&2
        Targets/Native/build.sh >&2
    fi
else
    echo "== native sample: not built: clang-16 is not installed (Debian/Ubuntu: apt-get install -y clang-16)" >&2
fi

# libFuzzer and AFL++ (docs/ENGINES.md): ./run-fuzz.sh libfuzzer [libFuzzer flags] [--planted=NAME],
# ./run-fuzz.sh afl [SECONDS] [--planted NAME]. Their script installs the Debian packages (as root; else it
# prints the command), builds the instrumented engine and the native driver, runs the fuzzer and reports.
case "${1:-}" in
libfuzzer | afl) exec Fuzz/native/run.sh "$cli" "$@" ;;
esac

if [ "$#" -gt 0 ]; then
    exec dotnet "$cli" "$@"
fi

mkdir -p fuzz-out
echo "== p2mfuzz:  dotnet $cli" >&2
echo "== seeds:    $PWD/corpus (committed, read only)" >&2
status=0
dotnet "$cli" fuzz --time 60 --geometry both --seed-corpus corpus \
    --corpus fuzz-out/corpus --crashes fuzz-out/crashes --stats fuzz-out/stats.jsonl || status=$?
dotnet "$cli" report fuzz-out/stats.jsonl --out fuzz-out/report.html >&2 || true
echo "== corpus:   $PWD/fuzz-out/corpus (kept between runs; 'p2mfuzz merge' trims it)" >&2
echo "== findings: $PWD/fuzz-out/crashes (minimised .p2m scripts; replay one with ./run-fuzz.sh replay FILE)" >&2
echo "== report:   $PWD/fuzz-out/report.html" >&2
exit "$status"
