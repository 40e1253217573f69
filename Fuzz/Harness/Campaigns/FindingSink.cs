using System.Collections.Concurrent;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Where a campaign's failing inputs go: deduplicated by verdict signature, each new one stored as found at
/// once (so a crash while minimising loses nothing), then minimised on a thread of its own, never the
/// caller's, and its minimised script added. Reporting never waits for a minimisation.
/// </summary>
internal sealed class FindingSink : IDisposable
{
    /// <summary>Most seconds one finding is minimised for; the smallest input found by then is kept.</summary>
    public const double MinimizeSeconds = 60;

    private readonly object _lock = new();
    private readonly List<Finding> _findings = new();
    private readonly List<Finding> _known = new();
    private readonly CrashStore? _store;
    private readonly Func<CancellationToken, IInputRunner>? _minimizer;
    private readonly Func<Verdict, bool> _canMinimize;
    private readonly BlockingCollection<(int Index, StoredFinding? Stored)> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread? _thread;
    private int _pending;

    /// <param name="store">Where findings are written; null keeps them in memory.</param>
    /// <param name="minimizer">Builds the runner candidates are judged with (called once, on the minimising thread); null: no minimisation.</param>
    /// <param name="canMinimize">Which verdicts that runner can judge (an in-process runner cannot survive a hang).</param>
    public FindingSink(CrashStore? store, Func<CancellationToken, IInputRunner>? minimizer, Func<Verdict, bool>? canMinimize = null)
    {
        _store = store;
        _minimizer = minimizer;
        _canMinimize = canMinimize ?? (_ => true);
        if (minimizer is not null)
        {
            _thread = new Thread(MinimizeAll) { IsBackground = true, Name = "finding-minimiser" };
            _thread.Start();
        }
    }

    /// <summary>A new unique finding, stored as found (from the reporting thread).</summary>
    public event Action<Finding>? Found;

    /// <summary>A finding's minimised script was written (from the minimising thread).</summary>
    public event Action<Finding>? Minimized;

    /// <summary>Failing inputs whose signatures the crash store already held, one per signature.</summary>
    public IReadOnlyList<Finding> KnownSnapshot()
    {
        lock (_lock) return _known.ToArray();
    }

    /// <summary>New unique findings so far.</summary>
    public int Count
    {
        get { lock (_lock) return _findings.Count; }
    }

    /// <summary>Findings still waiting for (or in) minimisation.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The findings so far, minimised as far as they have got.</summary>
    public IReadOnlyList<Finding> Snapshot()
    {
        lock (_lock) return _findings.ToArray();
    }

    /// <summary>Takes a failing input; true when its signature is new. Never waits for a minimisation.</summary>
    public bool Report(Verdict verdict, FuzzInput input, ulong seed)
    {
        Finding finding;
        int index;
        StoredFinding? stored;
        lock (_lock)
        {
            // The signatures met are those of the findings themselves (few: one per signature), and the
            // crash store keeps those stored; neither keeps a second set of them.
            if (Met(verdict.Signature)) return false;
            // Already in the crash store (a regression not fixed yet): known, not new; no need to minimise it again.
            if (_store is not null && _store.IsKnown(verdict.Signature))
            {
                _known.Add(new Finding(verdict, input, input, verdict, seed, null));
                return false;
            }
            stored = _store?.SaveFound(verdict, input, seed);
            finding = new Finding(verdict, input, input, verdict, seed, stored?.OriginalPath) { FoundAt = stored?.OriginalPath };
            index = _findings.Count;
            _findings.Add(finding);
        }
        Found?.Invoke(finding);
        if (_thread is not null && _canMinimize(verdict))
        {
            Interlocked.Increment(ref _pending);
            _queue.Add((index, stored));
        }
        return true;
    }

    /// <summary>True when a finding of this campaign, new or known, has <paramref name="signature"/>. Under the lock.</summary>
    private bool Met(string signature)
    {
        foreach (Finding finding in _findings)
            if (finding.Signature == signature) return true;
        foreach (Finding finding in _known)
            if (finding.Signature == signature) return true;
        return false;
    }

    /// <summary>
    /// Lets queued minimisations run for at most <paramref name="grace"/>, then stops the rest; each keeps the
    /// smallest input found by then. No finding is reported after this.
    /// </summary>
    public void Finish(TimeSpan grace)
    {
        _queue.CompleteAdding();
        if (_thread is null) return;
        if (!_thread.Join(grace)) _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(30));
    }

    private void MinimizeAll()
    {
        IInputRunner runner = _minimizer!(_stop.Token);
        try
        {
            MinimizeQueued(runner);
        }
        finally
        {
            (runner as IDisposable)?.Dispose();
        }
    }

    private void MinimizeQueued(IInputRunner runner)
    {
        foreach ((int index, StoredFinding? stored) in _queue.GetConsumingEnumerable())
        {
            Finding finding;
            lock (_lock) finding = _findings[index];
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            limit.CancelAfter(TimeSpan.FromSeconds(MinimizeSeconds));
            MinimizeResult result = new Minimizer(runner.Run).Minimize(finding.Original, finding.Verdict, limit.Token);
            string? path = stored is null ? null : _store!.SaveMinimized(stored, finding.Verdict, result);
            finding = finding with
            {
                Minimized = result.Minimized,
                MinimizedVerdict = result.Verdict,
                StoredAt = path ?? finding.StoredAt,
                IsMinimized = true,
            };
            lock (_lock) _findings[index] = finding;
            Interlocked.Decrement(ref _pending);
            Minimized?.Invoke(finding);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _queue.CompleteAdding();
        _thread?.Join(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}
