using P2M.Engine;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;

namespace P2M.Harness.Tests.Regression;

/// <summary>
/// Every committed script in <c>corpus/</c> and <c>crashes/</c> replays clean, engine against
/// oracle, with its expectations met: each one is a regression test.
/// </summary>
public class CorpusReplayTests
{
    private static readonly DifferentialRunner Runner = new(c => new EngineP2M(c), c => new OracleP2M(c));

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (string file in CommittedScripts.In("corpus").Concat(CommittedScripts.In("crashes"))) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Replays_clean(string file)
    {
        Script script = ScriptParser.ParseFile(Path.Combine(CommittedScripts.RepositoryRoot, file));
        Verdict verdict = Runner.Run(script);
        Assert.True(verdict.IsPass, verdict.ToString());
    }

    /// <summary>The mapcache must be invisible: the same script, every table reached through it.</summary>
    [Theory]
    [MemberData(nameof(Scripts))]
    public void Replays_clean_with_the_directmap_off(string file)
    {
        Script script = ScriptParser.ParseFile(Path.Combine(CommittedScripts.RepositoryRoot, file));
        Script viaMapcache = script with { Lines = [new OpLine(0, Contract.Op.DirectMap(false)), .. script.Lines] };
        Verdict verdict = Runner.Run(viaMapcache);
        Assert.True(verdict.IsPass, verdict.ToString());
    }

    [Fact]
    public void The_corpus_is_found_and_holds_the_hand_written_scripts() =>
        Assert.True(CommittedScripts.In("corpus").Count() >= 25, $"only {CommittedScripts.In("corpus").Count()} scripts under {CommittedScripts.RepositoryRoot}/corpus");
}
