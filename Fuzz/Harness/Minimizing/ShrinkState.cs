using System.Buffers.Binary;
using System.Security.Cryptography;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Minimizing;

/// <summary>
/// The minimiser's one piece of state, shared by every pass: the smallest input found so far that fails
/// with the signature, its verdict, and the attempts spent. Passes propose candidates through
/// <see cref="TryReplace"/>, which keeps a candidate only if it is strictly smaller (<see cref="InputSize"/>)
/// and, run, still fails with the same signature.
/// </summary>
internal sealed class ShrinkState
{
    private readonly Func<FuzzInput, Verdict> _run;
    private readonly int _maxAttempts;
    private readonly CancellationToken _token;

    // Fingerprints of candidates already run and rejected: later rounds propose many of them again.
    // A stable hash (not HashCode, which is seeded per process) keeps the minimiser deterministic.
    private readonly HashSet<UInt128> _rejected = [];

    /// <summary>
    /// Starts from <paramref name="original"/>: runs it once (the first attempt) to learn how it fails, unless
    /// its verdict is <paramref name="known"/> already (a finding: running a hang again costs a whole timeout).
    /// </summary>
    public ShrinkState(Func<FuzzInput, Verdict> run, string signature, int maxAttempts, FuzzInput original,
        Verdict? known = null, CancellationToken token = default)
    {
        _run = run;
        _maxAttempts = maxAttempts;
        _token = token;
        Signature = signature;
        Current = original;
        CurrentSize = InputSize.Of(original);
        CurrentVerdict = known ?? RunCounted(original);
    }

    /// <summary>The signature every kept candidate must fail with.</summary>
    public string Signature { get; }

    /// <summary>The smallest input so far that fails with <see cref="Signature"/> (the original at first).</summary>
    public FuzzInput Current { get; private set; }

    /// <summary>The verdict of <see cref="Current"/>.</summary>
    public Verdict CurrentVerdict { get; private set; }

    /// <summary>The size of <see cref="Current"/>.</summary>
    public InputSize CurrentSize { get; private set; }

    /// <summary>Per-pass tries, successes and operations removed; the minimiser says which pass is proposing.</summary>
    public PassStatistics Passes { get; } = new(Minimizer.PassNames.Count);

    /// <summary>Candidates run so far, the original included.</summary>
    public int Attempts { get; private set; }

    /// <summary>True once the attempt budget is spent or the minimisation is cancelled: passes stop proposing.</summary>
    public bool OutOfBudget => Attempts >= _maxAttempts || _token.IsCancellationRequested;

    /// <summary>True when the original failed with the signature, i.e. there is something to minimise.</summary>
    public bool Reproduces => CurrentVerdict.Signature == Signature;

    /// <summary>
    /// Runs <paramref name="candidate"/> if it is strictly smaller than <see cref="Current"/>, not run before,
    /// and the budget allows; keeps it when it fails with the signature. True when it was kept.
    /// </summary>
    public bool TryReplace(FuzzInput candidate)
    {
        if (OutOfBudget)
            return false;
        InputSize size = InputSize.Of(candidate);
        if (!(size < CurrentSize))
            return false;
        UInt128 fingerprint = Fingerprint(candidate);
        if (_rejected.Contains(fingerprint))
            return false;

        Verdict verdict = RunCounted(candidate);
        Passes.Tried();
        if (verdict.Signature != Signature)
        {
            _rejected.Add(fingerprint);
            return false;
        }
        Passes.Kept(Current.Ops.Length - candidate.Ops.Length);
        Current = candidate;
        CurrentSize = size;
        CurrentVerdict = verdict;
        return true;
    }

    /// <summary><see cref="TryReplace"/> with the current configuration and other operations.</summary>
    public bool TryOps(Op[] ops) => TryReplace(Current.WithOps(ops));

    /// <summary>
    /// <see cref="TryReplace"/> with operation <paramref name="index"/> replaced by <paramref name="op"/>;
    /// false without running when that changes nothing.
    /// </summary>
    public bool TryOp(int index, Op op)
    {
        if (Current.Ops[index] == op)
            return false;
        Op[] ops = (Op[])Current.Ops.Clone();
        ops[index] = op;
        return TryOps(ops);
    }

    private Verdict RunCounted(FuzzInput input)
    {
        Attempts++;
        try
        {
            return _run(input);
        }
        catch (OperationCanceledException) when (_token.IsCancellationRequested)
        {
            // Cut short: nothing learned about this candidate, and no more will be run.
            return Verdict.Pass(0);
        }
    }

    /// <summary>A 128-bit digest of everything that makes an input what it is: geometry, pool and every operation field.</summary>
    private static UInt128 Fingerprint(FuzzInput input)
    {
        const int OpBytes = 1 + 8 * 3 + 2;
        byte[] bytes = new byte[1 + 4 + input.Ops.Length * OpBytes];
        bytes[0] = (byte)input.Geometry.EntryBits;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), input.PoolPages ?? -1);
        int at = 5;
        foreach (Op op in input.Ops)
        {
            // Every Op field is reachable through some property: a (Gfn), b (Mfn), c (Nr), t1 (Type), t2 (To).
            bytes[at] = (byte)op.Kind;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 1), op.Gfn.Value);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 9), op.Mfn.Value);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 17), op.Nr);
            bytes[at + 25] = (byte)op.Type;
            bytes[at + 26] = (byte)op.To;
            at += OpBytes;
        }
        return BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(bytes));
    }
}
