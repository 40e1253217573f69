using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Where workers report failing inputs: deduplicated by verdict signature across workers, each
/// new one minimised in-process (same signature, never longer) and stored in the crash store.
/// </summary>
internal sealed class FindingSink
{
    private readonly object _lock = new();
    private readonly HashSet<string> _signatures = new(StringComparer.Ordinal);
    private readonly List<Finding> _findings = new();
    private readonly CrashStore? _store;
    private readonly Func<FuzzInput, Verdict> _run;
    private readonly bool _minimize;
    private readonly Action<Finding> _announce;

    public FindingSink(CrashStore? store, Func<FuzzInput, Verdict> run, bool minimize, Action<Finding> announce)
    {
        _store = store;
        _run = run;
        _minimize = minimize;
        _announce = announce;
    }

    private readonly List<string> _known = new();

    /// <summary>Signatures hit again that the crash store already held.</summary>
    public IReadOnlyList<string> KnownSignaturesSnapshot()
    {
        lock (_lock) return _known.ToArray();
    }

    public int Count
    {
        get { lock (_lock) return _findings.Count; }
    }

    public IReadOnlyList<Finding> Snapshot()
    {
        lock (_lock) return _findings.ToArray();
    }

    /// <summary>Takes a failing input; true when its signature is new.</summary>
    public bool Report(Verdict verdict, FuzzInput input, ulong seed)
    {
        lock (_lock)
        {
            if (!_signatures.Add(verdict.Signature)) return false;
            // Already in the crash store (a regression not fixed yet): known, not new; no need to minimise it again.
            if (_store is not null && _store.IsKnown(verdict.Signature))
            {
                _known.Add(verdict.Signature);
                return false;
            }
            MinimizeResult minimized = _minimize
                ? new Minimizer(_run).Minimize(input, verdict.Signature)
                : new MinimizeResult(input, verdict, 0, input.Ops.Length);
            string? path = null;
            if (_store is not null && _store.TrySave(verdict, input, minimized, seed)) path = _store.LastSavedPath;
            var finding = new Finding(verdict, input, minimized.Minimized, minimized.Verdict, seed, path);
            _findings.Add(finding);
            _announce(finding);
            return true;
        }
    }
}
