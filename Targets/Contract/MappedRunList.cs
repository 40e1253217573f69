namespace P2M.Contract;

/// <summary>
/// <see cref="IP2M.VisitMappedRuns"/> as a list, and a list as visits: for tests, reports and wrappers
/// that rewrite runs, where an allocation per call does not matter.
/// </summary>
public static class MappedRunList
{
    /// <summary>Every mapped frame of <paramref name="p2m"/>, as runs in ascending GFN order.</summary>
    public static List<MappedRun> MappedRuns(this IP2M p2m)
    {
        var collector = new Collector(new List<MappedRun>());
        p2m.VisitMappedRuns(ref collector);
        return collector.Runs;
    }

    /// <summary>Hands <paramref name="runs"/> to <paramref name="visitor"/> until it returns false.</summary>
    public static void Visit<TVisitor>(IEnumerable<MappedRun> runs, ref TVisitor visitor) where TVisitor : IMappedRunVisitor
    {
        foreach (MappedRun run in runs)
            if (!visitor.Visit(run)) return;
    }

    private readonly struct Collector(List<MappedRun> runs) : IMappedRunVisitor
    {
        public List<MappedRun> Runs { get; } = runs;

        public bool Visit(in MappedRun run)
        {
            Runs.Add(run);
            return true;
        }
    }
}
