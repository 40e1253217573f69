using System.Runtime.InteropServices;
using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// Structure-aware mutations of an operation list, each a small named function: insert, delete,
/// duplicate, swap, change one argument to a boundary value, splice with another input, squeeze
/// the pool. Every result is a valid input of at most <c>maxOps</c> operations. The mutators the last
/// <see cref="Mutate"/> stacked are kept (<see cref="LastSequence"/>) in a fixed array, for the campaign's
/// per-mutator counts and the <c>MS:</c> line of an input that is kept.
/// </summary>
public sealed class InputMutator
{
    private readonly FuzzRandom _random;
    private readonly OpGenerator _generator;
    private readonly int _maxOps;
    private readonly List<Op> _ops = new();
    private readonly Mutator[] _sequence = new Mutator[MaxRounds];
    private int _sequenceLength;

    /// <summary>Most mutations one <see cref="Mutate"/> stacks.</summary>
    public const int MaxRounds = 4;

    /// <summary>Mutations drawing from <paramref name="random"/>, new operations from <paramref name="generator"/>.</summary>
    public InputMutator(FuzzRandom random, OpGenerator generator, int maxOps)
    {
        _random = random;
        _generator = generator;
        _maxOps = maxOps;
    }

    /// <summary>The mutators the last <see cref="Mutate"/> applied, in order (valid until the next call).</summary>
    public ReadOnlySpan<Mutator> LastSequence => _sequence.AsSpan(0, _sequenceLength);

    /// <summary>One to four stacked mutations of <paramref name="input"/>; <paramref name="other"/> feeds splices.</summary>
    public FuzzInput Mutate(FuzzInput input, FuzzInput other)
    {
        // One list reused for every mutation: only the result's own array is new.
        List<Op> ops = _ops;
        ops.Clear();
        ops.AddRange(input.Ops);
        int? pool = input.PoolPages;
        int rounds = 1 + _random.Below(MaxRounds);
        for (int i = 0; i < rounds; i++)
        {
            Mutator mutator = _random.Below(10) switch
            {
                0 or 1 => Mutator.InsertOp,
                2 => Mutator.EraseOps,
                3 => Mutator.DuplicateOp,
                4 => Mutator.SwapOps,
                5 or 6 or 7 => Mutator.ChangeArg,
                8 => Mutator.Splice,
                _ => Mutator.SqueezePool,
            };
            _sequence[i] = mutator;
            switch (mutator)
            {
                case Mutator.InsertOp: InsertOperation(ops, input.Geometry); break;
                case Mutator.EraseOps: DeleteOperations(ops); break;
                case Mutator.DuplicateOp: DuplicateOperation(ops); break;
                case Mutator.SwapOps: SwapOperations(ops); break;
                case Mutator.ChangeArg: ChangeArgument(ops, input.Geometry); break;
                case Mutator.Splice: Splice(ops, other, input.Geometry); break;
                default: pool = SqueezePool(pool, input.Geometry); break;
            }
        }
        _sequenceLength = rounds;
        if (ops.Count == 0) ops.Add(_generator.Operation(input.Geometry));
        if (ops.Count > _maxOps) ops.RemoveRange(_maxOps, ops.Count - _maxOps);
        Span<Op> folded = CollectionsMarshal.AsSpan(ops);
        int kept = InputBounds.Fit(folded, input.Geometry);
        return new FuzzInput(input.Geometry, InputBounds.Pool(pool, input.Geometry), folded[..kept].ToArray());
    }

    private void InsertOperation(List<Op> ops, Geometry g) => ops.Insert(_random.Below(ops.Count + 1), _generator.Operation(g));

    /// <summary>Removes one operation, or a short run of them.</summary>
    private void DeleteOperations(List<Op> ops)
    {
        if (ops.Count <= 1) return;
        int at = _random.Below(ops.Count);
        int n = Math.Min(ops.Count - at, _random.OneIn(3) ? 1 + _random.Below(4) : 1);
        ops.RemoveRange(at, n);
    }

    /// <summary>Repeats an operation elsewhere: the second time round is where stale state bites.</summary>
    private void DuplicateOperation(List<Op> ops)
    {
        if (ops.Count == 0) return;
        ops.Insert(_random.Below(ops.Count + 1), ops[_random.Below(ops.Count)]);
    }

    private void SwapOperations(List<Op> ops)
    {
        if (ops.Count < 2) return;
        int a = _random.Below(ops.Count), b = _random.Below(ops.Count);
        (ops[a], ops[b]) = (ops[b], ops[a]);
    }

    /// <summary>Keeps a prefix of this input and appends a suffix of another of the same geometry.</summary>
    private void Splice(List<Op> ops, FuzzInput other, Geometry geometry)
    {
        // Frame numbers mean nothing across geometries: splice only like with like.
        if (other.Ops.Length == 0 || other.Geometry != geometry) return;
        int keep = _random.Below(ops.Count + 1);
        int from = _random.Below(other.Ops.Length);
        ops.RemoveRange(keep, ops.Count - keep);
        ops.AddRange(other.Ops.AsSpan(from));
    }

    /// <summary>A nearly full pool makes every split and table allocation a failure path.</summary>
    private int? SqueezePool(int? pool, Geometry g) =>
        _random.OneIn(3) ? null : Geometry.RootPages + _random.Below(pool is null ? 12 : Math.Max(2, pool.Value - Geometry.RootPages + 2));

    /// <summary>Changes one argument of one operation: a neighbour (±1, the next leaf), an alignment, or a fresh boundary value.</summary>
    private void ChangeArgument(List<Op> ops, Geometry g)
    {
        if (ops.Count == 0) return;
        int at = _random.Below(ops.Count);
        Op op = ops[at];
        ops[at] = op.Kind switch
        {
            OpKind.Map => _random.Below(4) switch
            {
                0 => Op.Map(new Gfn(Nudge(op.Gfn.Value, g)), op.Mfn, op.Nr, op.Type),
                1 => Op.Map(op.Gfn, new Mfn(Nudge(op.Mfn.Value, g)), op.Nr, op.Type),
                2 => Op.Map(op.Gfn, op.Mfn, NudgeCount(op.Nr, g), op.Type),
                _ => Op.Map(op.Gfn, op.Mfn, op.Nr, _generator.Type()),
            },
            OpKind.Unmap => _random.OneIn(2)
                ? Op.Unmap(new Gfn(Nudge(op.Gfn.Value, g)), op.Nr)
                : Op.Unmap(op.Gfn, NudgeCount(op.Nr, g)),
            OpKind.Retype => _random.Below(3) switch
            {
                0 => Op.Retype(new Gfn(Nudge(op.Gfn.Value, g)), op.Nr, op.From, op.To),
                1 => Op.Retype(op.Gfn, NudgeCount(op.Nr, g), op.From, op.To),
                _ => Op.Retype(op.Gfn, op.Nr, _generator.Type(), _generator.Type()),
            },
            OpKind.Identity => _random.OneIn(2)
                ? Op.Identity(new Gfn(Nudge(op.Start.Value, g)), op.End)
                : Op.Identity(op.Start, new Gfn(Nudge(op.End.Value, g))),
            OpKind.Foreign => _random.OneIn(2)
                ? Op.Foreign(new Gfn(Nudge(op.Gfn.Value, g)), op.Mfn, op.ReadOnly)
                : Op.Foreign(op.Gfn, _generator.Mfn(g), !op.ReadOnly),
            OpKind.GrantMap => _random.OneIn(2)
                ? Op.GrantMap(op.Frame, new Gfn(Nudge(op.Gfn.Value, g)))
                : Op.GrantMap((ulong)_random.Below(6), op.Gfn),
            OpKind.Lookup => Op.Lookup(new Gfn(Nudge(op.Gfn.Value, g))),
            OpKind.Translate => Op.Translate(new Gfn(Nudge(op.Gfn.Value, g))),
            OpKind.FailAllocs => Op.FailAllocs((ulong)_random.Below(4)),
            OpKind.DirectMap => Op.DirectMap(!op.On),
            _ => _generator.Operation(g),
        };
    }

    /// <summary>A frame number moved to a neighbour that matters: ±1, the next or previous leaf, aligned down, or fresh.</summary>
    private ulong Nudge(ulong value, Geometry g)
    {
        ulong e = (ulong)g.EntriesPerPage;
        return _random.Below(7) switch
        {
            0 => value + 1,
            1 => value - 1,
            2 => value + e,
            3 => value - e,
            4 => value & ~(e - 1),
            5 => value & ~(e * e - 1),
            _ => _generator.Gfn(g).Value,
        };
    }

    private ulong NudgeCount(ulong nr, Geometry g) => _random.Below(3) switch
    {
        0 => nr + 1,
        1 => nr == 0 ? 0 : nr - 1,
        _ => _generator.Count(g),
    };
}
