namespace P2M.Fuzz.Running;

/// <summary>
/// What the full checks of one <see cref="DifferentialRunner"/> run cost: the work that grows with the
/// state rather than with the step, which <see cref="FullCheckSchedule"/> keeps in proportion to the work
/// the operations did. Counted as it happens; nothing is allocated for it.
/// </summary>
/// <param name="WholeStateChecks">Whole-state comparisons run.</param>
/// <param name="WholeStateEntries">Entries they read: the frames of both sides' runs and their held references.</param>
/// <param name="FullAudits">Full audits run (one per self-checking side each time).</param>
/// <param name="AuditedPages">Table pages the full audits visited, as the sides report them.</param>
public readonly record struct FullCheckWork(int WholeStateChecks, long WholeStateEntries, int FullAudits, long AuditedPages)
{
    /// <summary>Everything the full checks read: entries compared and pages audited.</summary>
    public long Total => WholeStateEntries + AuditedPages;
}
