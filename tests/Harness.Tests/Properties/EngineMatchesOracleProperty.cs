using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2M.Contract;
using P2M.Engine;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;

namespace P2M.Harness.Tests.Properties;

/// <summary>
/// The model-based property the whole tool rests on: for any stream of operations, every kind and
/// failures included, the engine and the oracle never diverge (results, frames, type storage,
/// references, grant GFNs, and the engine's audits, after every step). Seeded, so every machine
/// runs the same streams; a failure prints the stream as a script to replay.
/// </summary>
public class EngineMatchesOracleProperty
{
    private static readonly DifferentialRunner Runner = new(c => new EngineP2M(c), c => new OracleP2M(c));

    private static Config Seeded(int tests, ulong seed) => Config.QuickThrowOnFailure
        .WithMaxTest(tests)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9e37_79b9_7f4a_7c15UL), FSharpOption<int>.None)));

    private static Property NeverDiverges(Geometry geometry, int maxOps) =>
        Prop.ForAll(Arb.From(OpStreamGen.Streams(geometry, maxOps)), stream =>
        {
            Verdict verdict = Runner.Run(stream.Config, stream.Ops);
            return verdict.IsPass.Label(verdict.IsPass ? "" : verdict + "\n" +
                ScriptPrinter.Print(Script.FromOps("property.p2m", geometry, stream.Config.PoolPages, stream.Ops)));
        });

    [Fact]
    public void Random_streams_never_diverge_in_mini() => Check.One(Seeded(400, 0x2b1d_0001UL), NeverDiverges(Geometry.Mini, 80));

    [Fact]
    public void Random_streams_never_diverge_in_real() => Check.One(Seeded(60, 0x2b1d_0002UL), NeverDiverges(Geometry.Real, 40));
}
