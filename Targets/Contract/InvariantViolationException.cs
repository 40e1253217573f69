namespace P2M.Contract;

/// <summary>
/// Thrown by an implementation that finds its own structure broken where it cannot return a
/// violation: while applying an operation or reading frames back (a table reached twice, a table
/// pointer in a leaf table, a link to a free page…). The runner reports it as a broken invariant
/// of the side that threw, at the step, with <see cref="Violation"/>'s field; an audit
/// (<see cref="IP2MSelfCheck.Audit"/>) returns the same violation instead.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>Wraps <paramref name="violation"/>; the message says which invariant and how it broke.</summary>
    public InvariantViolationException(InvariantViolation violation)
        : base(MessageOf(violation))
    {
        Violation = violation;
    }

    /// <summary>Which invariant broke (field, what it should be, what it is).</summary>
    public InvariantViolation Violation { get; }

    private static string MessageOf(InvariantViolation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        return $"{violation.Field}: expected {violation.Expected}, is {violation.Actual}";
    }
}
