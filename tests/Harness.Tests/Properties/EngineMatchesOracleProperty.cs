using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;

namespace P2M.Harness.Tests.Properties;

/// <summary>
/// The model-based property the whole tool rests on: for any stream of operations, every kind and
/// failures included, the engine and the oracle never diverge (results, frames, type storage,
/// references, grant GFNs, and the engine's audits, after every step). Seeded (<c>Replay</c>), so every
/// machine runs the same streams. A failure prints the stream after the project's own minimiser has shrunk
/// it, as a script to replay: FsCheck's generic shrinking of an operation array is far weaker (it once
/// printed 66 operations where <c>p2mfuzz minimize</c> gives 2).
/// </summary>
public class EngineMatchesOracleProperty
{
    private static readonly DifferentialRunner Runner = new(c => new EngineP2M(c), c => new OracleP2M(c));

    /// <summary>A generated stream for <c>mini</c>; its own type so that each geometry has its own generator.</summary>
    public sealed record MiniStream(P2MConfig Config, Op[] Ops);

    /// <summary>A generated stream for <c>real</c>.</summary>
    public sealed record RealStream(P2MConfig Config, Op[] Ops);

    /// <summary>The generators the properties draw from, with no FsCheck shrinking (the minimiser shrinks).</summary>
    public static class Streams
    {
        /// <summary>Streams of up to 80 operations in <c>mini</c>.</summary>
        public static Arbitrary<MiniStream> Mini() => Arb.From(OpStreamGen.Streams(Geometry.Mini, 80).Select(s => new MiniStream(s.Config, s.Ops)));

        /// <summary>Streams of up to 40 operations in <c>real</c>.</summary>
        public static Arbitrary<RealStream> Real() => Arb.From(OpStreamGen.Streams(Geometry.Real, 40).Select(s => new RealStream(s.Config, s.Ops)));
    }

    [Property(MaxTest = 400, Replay = "(11111, 22223)", Arbitrary = [typeof(Streams)])]
    public Property Random_streams_never_diverge_in_mini(MiniStream stream) => NeverDiverges(Geometry.Mini, stream.Config, stream.Ops);

    [Property(MaxTest = 60, Replay = "(33333, 44445)", Arbitrary = [typeof(Streams)])]
    public Property Random_streams_never_diverge_in_real(RealStream stream) => NeverDiverges(Geometry.Real, stream.Config, stream.Ops);

    [Fact]
    public void A_failure_is_reported_as_the_minimised_script()
    {
        // A stream that fails only through two of its operations (a foreign entry, then its removal, which the
        // double forgets to drop the reference of): the report must hold those, not the 30 lookups around them.
        var config = P2MConfig.Default(Geometry.Mini);
        Op[] ops = [.. Enumerable.Range(0, 15).Select(i => Op.Lookup(new Gfn((ulong)i))),
                    Op.Foreign(new Gfn(0x40), new Mfn(0x77), readOnly: false),
                    .. Enumerable.Range(0, 15).Select(i => Op.Lookup(new Gfn((ulong)i))),
                    Op.Unmap(new Gfn(0x40), 1)];
        var lying = new DifferentialRunner(c => new Planted.KeepsForeignReference(c), c => new OracleP2M(c));

        string? report = Report(lying, Geometry.Mini, config, ops);
        Assert.NotNull(report);

        Assert.Contains("minimised from 32 operations:", report);
        string script = report[report.IndexOf("minimised from", StringComparison.Ordinal)..];
        // The minimiser also lowers operand values, so what is pinned is the operations, not their numbers.
        Assert.Equal(2, script.Split('\n').Count(l => l.StartsWith("foreign ", StringComparison.Ordinal) || l.StartsWith("unmap ", StringComparison.Ordinal)));
        Assert.DoesNotContain("lookup", script);
    }

    private static Property NeverDiverges(Geometry geometry, P2MConfig config, Op[] ops)
    {
        string? report = Report(Runner, geometry, config, ops);
        return (report is null).Label(report ?? "");
    }

    /// <summary>Null when the stream passes; otherwise its verdict and its minimised script.</summary>
    private static string? Report(DifferentialRunner runner, Geometry geometry, P2MConfig config, Op[] ops)
    {
        Verdict verdict = runner.Run(config, ops);
        if (verdict.IsPass)
            return null;
        MinimizeResult minimized = new Minimizer(runner.Run).Minimize(new FuzzInput(geometry, config.PoolPages, ops), verdict.Signature, TestContext.Current.CancellationToken);
        return verdict + "\nminimised from " + ops.Length + " operations:\n" +
               ScriptPrinter.Print(Script.FromOps("property.p2m", geometry, config.PoolPages, minimized.Minimized.Ops));
    }
}
