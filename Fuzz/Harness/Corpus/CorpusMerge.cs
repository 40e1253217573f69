using P2M.Coverage;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Minimizing;

namespace P2M.Fuzz.Corpus;

/// <summary>What a merge kept and why.</summary>
public sealed record MergeResult(int Candidates, int AlreadyInOutput, int Added, int Failing, int Features);

/// <summary>
/// libFuzzer's <c>-merge=1</c>: keeps a small set of inputs that covers every feature the inputs
/// reach. Entries already in the output count first; then candidates from smallest to largest, each
/// kept only if it reaches a feature nothing kept so far does. Failing inputs are not coverage: they
/// are reported and left out (they belong in the crash store).
/// </summary>
public static class CorpusMerge
{
    /// <summary>
    /// Merges every input under <paramref name="inputs"/> into <paramref name="output"/>, each read within
    /// <paramref name="limits"/> (the defaults when null).
    /// </summary>
    public static MergeResult Run(string output, IEnumerable<string> inputs, TextWriter log, CoverageRunner? runner = null, InputLimits? limits = null)
    {
        runner ??= new CoverageRunner();
        var store = new CorpusStore(output, log);
        var covered = new FeatureSet();
        int already = 0, added = 0, failing = 0;
        foreach (CorpusEntry entry in CorpusStore.Load([output], log, limits))
        {
            if (runner.Run(entry.Input).IsPass) covered.Add(runner.Map);
            already++;
        }
        var candidates = CorpusStore.Load(inputs, log, limits)
            .OrderBy(e => InputSize.Of(e.Input))
            .ThenBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        foreach (CorpusEntry entry in candidates)
        {
            var verdict = runner.Run(entry.Input);
            if (!verdict.IsPass)
            {
                failing++;
                log.WriteLine($"merge: {entry.Path} fails ({verdict.Signature}): left out, replay or minimise it");
                continue;
            }
            if (covered.Add(runner.Map) == 0) continue;
            store.Save(entry.Input, out bool isNew);
            if (isNew) added++;
        }
        return new MergeResult(candidates.Count, already, added, failing, covered.Count);
    }
}
