using P2M.Fuzz.Codec;

namespace P2M.Fuzz.Corpus;

/// <summary>One input read from a corpus directory: where it came from and what it decodes to.</summary>
public sealed record CorpusEntry(string Path, FuzzInput Input);
