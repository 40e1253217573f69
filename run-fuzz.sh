#!/usr/bin/env bash
# The project's front door. Builds the p2mfuzz command line (Fuzz/Cli) in Release, then:
#   ./run-fuzz.sh                    replays every script in corpus/ and crashes/, engine against oracle
#   ./run-fuzz.sh replay FILE|DIR... runs p2mfuzz with these arguments (any p2mfuzz command works)
#   ./run-fuzz.sh --help             lists p2mfuzz's commands
# Exit code: p2mfuzz's (0 all pass, 1 a divergence or failed expectation, 2 usage or parse error).
set -euo pipefail
cd "$(dirname "$0")"

echo "== building Fuzz/Cli (Release)" >&2
dotnet build Fuzz/Cli -c Release -nologo -v quiet >&2
# Ask MSBuild where the dll went rather than guessing the bin/ layout.
cli=$(dotnet msbuild Fuzz/Cli -nologo -p:Configuration=Release -getProperty:TargetPath)

if [ "$#" -eq 0 ]; then
    echo "== p2mfuzz:        dotnet $cli" >&2
    echo "== corpus:         $PWD/corpus   (hand-written and kept inputs)" >&2
    echo "== crashes:        $PWD/crashes  (minimised failing scripts, kept as regressions)" >&2
    echo "== replaying corpus/ and crashes/" >&2
    exec dotnet "$cli" replay corpus crashes
fi
exec dotnet "$cli" "$@"
