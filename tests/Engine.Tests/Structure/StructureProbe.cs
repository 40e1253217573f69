using P2M.Contract;

namespace P2M.Engine.Tests.Structure;

/// <summary>
/// The test assembly's entry point, run by <see cref="BoundedWalkTests"/> as a child process, so that a
/// walk that recurses without end or loops takes down this process and not the test host:
/// <c>dotnet Engine.Tests.dll walks CORRUPTION</c> runs every walk of <see cref="TableWalks"/>, each on
/// freshly broken tables, and prints <c>start NAME</c> before it and <c>NAME HOW FIELD</c> after it.
/// HOW is <c>thrown</c> (the walk threw <see cref="InvariantViolationException"/>), <c>audit</c> (the
/// walk returned and the audit that follows every step reported it) or <c>other</c> (another exception,
/// FIELD its type); FIELD is <c>none</c> when nothing was reported.
/// </summary>
internal static class StructureProbe
{
    /// <summary>Runs the walks of one corruption (exit 2 on bad arguments); any other command line runs the tests.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "walks")
            return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
        if (args.Length != 2 || !Enum.TryParse(args[1], out Corruption corruption))
        {
            Console.Error.WriteLine($"usage: walks CORRUPTION ({string.Join('|', Enum.GetNames<Corruption>())})");
            return 2;
        }
        foreach (TableWalks.Walk walk in TableWalks.All)
        {
            string label = TableWalks.Label(walk);
            Console.Out.WriteLine($"start {label}");
            Console.Out.Flush();
            Console.Out.WriteLine($"{label} {Outcome(walk, corruption)}");
            Console.Out.Flush();
        }
        return 0;
    }

    /// <summary>HOW FIELD for one walk over freshly broken tables (healthy ones when <paramref name="corruption"/> is null).</summary>
    public static string Outcome(TableWalks.Walk walk, Corruption? corruption)
    {
        BrokenTables tables = BrokenTables.Build(corruption, walk.HoldingReference);
        try
        {
            walk.Run(tables.Engine, corruption is { } broken ? BrokenTables.GfnAt(broken) : 0x78);
        }
        catch (InvariantViolationException broken)
        {
            return $"thrown {broken.Violation.Field}";
        }
        catch (Exception other)
        {
            return $"other {other.GetType().Name}";
        }
        return $"audit {tables.Engine.Audit()?.Field ?? "none"}";
    }
}
