using System.Diagnostics;

namespace P2M.Engine.Tests.Structure;

/// <summary>
/// Every walk of the tables ends on broken tables, and ends by reporting the broken structure: the
/// walk throws the violation, or (the audit itself, and a walk down one path that cannot see a
/// second parent) the audit after it returns it. The walks run in a child process
/// (<see cref="StructureProbe"/>): a walk that overflows the stack or loops fails its test here, with
/// the walk named, instead of killing the test host.
/// </summary>
public class BoundedWalkTests
{
    /// <summary>Generous: the probe takes well under a second; only a walk that never ends gets near it.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static TheoryData<Corruption> Corruptions => new(Enum.GetValues<Corruption>());

    /// <summary>What the probe must print for <paramref name="walk"/> over <paramref name="corruption"/>.</summary>
    private static string Expected(TableWalks.Walk walk, Corruption corruption)
    {
        string field = BrokenTables.FieldOf(corruption);
        if (walk.Name == "audit") return $"audit {field}";
        // A walk down one path meets one of the two parents only: the audit after the step sees both.
        if (corruption == Corruption.TwoParents && !walk.WholeSubtree) return $"audit {field}";
        // Its first chunk frees the leaf table under the first parent; the chunk at the second finds it free.
        if (corruption == Corruption.TwoParents && walk.Name == "identity-block") return "thrown structure.linked-free-page";
        return $"thrown {field}";
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Every_walk_over_broken_tables_ends_with_the_structure_violation(Corruption corruption)
    {
        (int exitCode, string[] lines, string errors) = RunProbe(corruption);
        var outcomes = new Dictionary<string, string>();
        string? lastStarted = null;
        foreach (string line in lines)
        {
            if (line.StartsWith("start ", StringComparison.Ordinal)) lastStarted = line["start ".Length..];
            else if (line.Split(' ', 2) is [string label, string outcome]) outcomes[label] = outcome;
        }
        // A stack overflow prints every frame: the end of it is enough to see where.
        string tail = errors.Length <= 2000 ? errors : "…" + errors[^2000..];
        Assert.True(exitCode == 0, $"the probe died (exit {exitCode}) in walk {lastStarted ?? "(none)"}: {tail}");
        var wrong = new List<string>();
        foreach (TableWalks.Walk walk in TableWalks.All)
        {
            string label = TableWalks.Label(walk), expected = Expected(walk, corruption);
            string actual = outcomes.GetValueOrDefault(label, "(no outcome)");
            if (actual != expected) wrong.Add($"{label}: expected '{expected}', was '{actual}'");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void On_healthy_tables_every_walk_ends_with_nothing_reported()
    {
        // The same walks and the same check of their outcome: what the theory sees is the corruption, not the probe.
        foreach (TableWalks.Walk walk in TableWalks.All)
            Assert.Equal($"{TableWalks.Label(walk)} audit none", $"{TableWalks.Label(walk)} {StructureProbe.Outcome(walk, corruption: null)}");
    }

    private static (int ExitCode, string[] Lines, string Errors) RunProbe(Corruption corruption)
    {
        string assembly = typeof(StructureProbe).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, ["exec", assembly, "walks", corruption.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            string partial = output.Result;
            string last = partial.Split('\n').LastOrDefault(l => l.StartsWith("start ", StringComparison.Ordinal)) ?? "(none)";
            Assert.Fail($"the probe did not finish in {Deadline.TotalSeconds} s; last walk: {last}");
        }
        process.WaitForExit(); // drain the redirected streams
        return (process.ExitCode, output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), errors.Result);
    }
}
