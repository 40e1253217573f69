#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script. Reads the checkout in $SRC/p2mfuzz, writes to $OUT, scratch in
# $WORK; honours $CC, $CFLAGS and $LIB_FUZZING_ENGINE. Also runs outside a container given those three
# (.clusterfuzzlite/test-build.sh does). Installs in $OUT:
#   p2m_fuzzer                      the native libFuzzer driver (Fuzz/native/p2m_fuzzer.c)
#   p2m_fuzzer.dotnet/              its .NET side, p2mfuzz published self-contained, with instrumented/
#                                   (the sharpfuzz-instrumented engine and planted doubles)
#   p2m_fuzzer_seed_corpus.zip      the committed corpus/ as binary seed inputs
#   p2m_fuzzer.dict, p2m_fuzzer.options
repo=$SRC/p2mfuzz
dotnet_out=$OUT/p2m_fuzzer.dotnet
cd "$repo"

"$repo/Fuzz/native/build.sh" "$OUT/p2m_fuzzer"

rm -rf "$dotnet_out"
dotnet publish Fuzz/Cli -c Release -r linux-x64 --self-contained -nologo -v quiet -o "$dotnet_out"
dotnet build Targets/Planted -c Release -p:P2MInstrumentEngine=true -nologo -v quiet -o "$WORK/instrumented"
mkdir -p "$dotnet_out/instrumented"
cp "$WORK/instrumented/P2M.Engine.dll" "$WORK/instrumented/P2M.Planted.dll" "$WORK/instrumented/P2M.Planted.deps.json" \
    "$dotnet_out/instrumented/"

rm -rf "$WORK/seeds"
"$dotnet_out/p2mfuzz" seeds corpus --out "$WORK/seeds"
printf '\0' > "$WORK/seeds/empty-mini"
rm -f "$OUT/p2m_fuzzer_seed_corpus.zip"
if command -v zip > /dev/null; then
    (cd "$WORK/seeds" && zip -q -r "$OUT/p2m_fuzzer_seed_corpus.zip" .)
else
    python3 -c 'import sys, zipfile, pathlib
with zipfile.ZipFile(sys.argv[1], "w") as z:
    [z.write(p, p.name) for p in sorted(pathlib.Path(sys.argv[2]).iterdir())]' "$OUT/p2m_fuzzer_seed_corpus.zip" "$WORK/seeds"
fi

cp Fuzz/native/p2m.dict "$OUT/p2m_fuzzer.dict"
cat > "$OUT/p2m_fuzzer.options" <<'OPTIONS'
[libfuzzer]
dict = p2m_fuzzer.dict
OPTIONS
