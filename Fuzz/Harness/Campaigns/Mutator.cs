namespace P2M.Fuzz.Campaigns;

/// <summary>
/// The campaign's ways of making an input, each named as libFuzzer names its mutators in an <c>MS:</c> line.
/// Values index the counters of <see cref="MutationStats"/>.
/// </summary>
public enum Mutator : byte
{
    /// <summary>A whole new input from the generators (no corpus entry behind it).</summary>
    Generate,
    /// <summary>A generated operation inserted at a random place.</summary>
    InsertOp,
    /// <summary>One operation, or a short run of them, removed.</summary>
    EraseOps,
    /// <summary>An operation repeated elsewhere in the list.</summary>
    DuplicateOp,
    /// <summary>Two operations swapped.</summary>
    SwapOps,
    /// <summary>One argument of one operation moved to a neighbour or boundary value.</summary>
    ChangeArg,
    /// <summary>A prefix of this input followed by a suffix of another of the same geometry.</summary>
    Splice,
    /// <summary>The pool shrunk toward its roots (or put back to the default).</summary>
    SqueezePool,
}

/// <summary>The names of <see cref="Mutator"/> values, fixed strings so that naming one never allocates.</summary>
public static class MutatorNames
{
    /// <summary>How many mutators there are (the length of every per-mutator array).</summary>
    public const int Count = (int)Mutator.SqueezePool + 1;

    private static readonly string[] Names = Enum.GetNames<Mutator>();

    /// <summary>The name of <paramref name="mutator"/>, e.g. <c>ChangeArg</c>.</summary>
    public static string Of(Mutator mutator) => Names[(int)mutator];

    /// <summary>The mutator named <paramref name="name"/>; false for a name not known.</summary>
    public static bool TryParse(string name, out Mutator mutator) => Enum.TryParse(name, ignoreCase: false, out mutator) && Enum.IsDefined(mutator);

    /// <summary>
    /// libFuzzer's form of a mutation sequence: <c>MS: 2 InsertOp-ChangeArg-</c> (the count, then each
    /// mutator followed by a dash). Built only for an input that is kept, never per execution.
    /// </summary>
    public static string Sequence(ReadOnlySpan<Mutator> sequence)
    {
        var text = new System.Text.StringBuilder("MS: ").Append(sequence.Length).Append(' ');
        foreach (Mutator mutator in sequence) text.Append(Of(mutator)).Append('-');
        return text.ToString();
    }
}
