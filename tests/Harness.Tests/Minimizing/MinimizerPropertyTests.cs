using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Minimizing;
using P2M.Fuzz.Running;
using P2M.Planted;
using P2M.Harness.Tests.Properties;
using static P2M.Harness.Tests.Minimizing.MinimizerFixture;

namespace P2M.Harness.Tests.Minimizing;

/// <summary>
/// The minimiser's promises over random failing inputs: random streams (<see cref="OpStreamGen"/>) run
/// against engines with a planted bug or a lie; for each one that fails, the minimised input still fails
/// with the same signature (checked by running it again), is never longer nor larger, and comes out the
/// same when minimised twice. Seeded, so every machine checks the same inputs.
/// </summary>
public class MinimizerPropertyTests
{
    private const int Budget = 1500;

    // Broken engines with the bugs the minimiser will meet: lies about orders and grant GFNs, and the
    // planted per-mechanism bugs (grant GFN kept, foreign reference kept, superpage lost on ENOMEM, no TLB flush).
    private static readonly (string Name, Func<P2MConfig, IP2M> Create)[] BrokenEngines =
    [
        ("forgets-ram-ro-order", c => new ForgetsRamRoOrderAfterUnmap(c)),
        ("drops-odd-grant-gfn", c => new DropsOddGrantGfn(c)),
        ("keeps-grant-gfn", c => new KeepsGrantGfn(c)),
        ("keeps-foreign-reference", c => new KeepsForeignReference(c)),
        ("loses-superpage-on-failed-split", c => new LosesSuperpageOnFailedSplit(c)),
        ("skips-tlb-flush", c => new SkipsTlbFlush(c)),
    ];

    private static readonly Func<FuzzInput, Verdict>[] Runs = BrokenEngines.Select(e => Against(e.Create)).ToArray();

    private static Config Seeded(int tests, ulong seed) => Config.QuickThrowOnFailure
        .WithMaxTest(tests)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9e37_79b9_7f4a_7c15UL), FSharpOption<int>.None)));

    /// <summary>A broken engine's index and a stream for it; about half keep the pool explicit even when it is the default.</summary>
    private static Gen<(int Engine, FuzzInput Input)> Cases(Geometry geometry, int maxOps) =>
        Gen.Choose(0, BrokenEngines.Length - 1)
            .SelectMany(_ => OpStreamGen.Streams(geometry, maxOps), (engine, stream) => (engine, stream))
            .SelectMany(_ => Gen.Elements(false, true), (x, keepPool) => (x.engine,
                new FuzzInput(geometry, keepPool || x.stream.Config.PoolPages != geometry.DefaultPoolPages ? x.stream.Config.PoolPages : null, x.stream.Ops)));

    [Fact]
    public void Minimised_inputs_fail_the_same_way_and_are_never_longer_or_larger()
    {
        int failing = 0;
        Check.One(Seeded(300, 0x6d1e_0001UL), Prop.ForAll(Arb.From(Cases(Geometry.Mini, 40)), c =>
        {
            var run = Runs[c.Engine];
            Verdict found = run(c.Input);
            if (found.IsPass)
                return true.Label("passing input: nothing to minimise");
            failing++;

            MinimizeResult result = new Minimizer(run, Budget).Minimize(c.Input, found.Signature);
            Verdict again = run(result.Minimized);
            string context = $"{BrokenEngines[c.Engine].Name}, {found.Signature}\n{Print(c.Input)}\n-> {result.Summary}\n{Print(result.Minimized)}";
            return (again.Signature == found.Signature).Label("re-run fails differently: " + again.Signature + "\n" + context)
                .And((result.Verdict.Signature == found.Signature).Label("reported verdict differs\n" + context))
                .And((result.Minimized.Ops.Length <= c.Input.Ops.Length).Label("longer\n" + context))
                .And((InputSize.Of(result.Minimized) <= InputSize.Of(c.Input)).Label("larger\n" + context))
                .And((result.Minimized.Geometry == c.Input.Geometry).Label("geometry changed\n" + context))
                .And((result.OriginalLength == c.Input.Ops.Length).Label("original length misreported\n" + context))
                .And((result.Attempts <= Budget).Label("over budget\n" + context));
        }));
        // The property means little unless many inputs actually failed.
        Assert.True(failing >= 60, $"only {failing} of 300 random inputs failed");
    }

    [Fact]
    public void Minimising_twice_gives_the_same_input_and_attempts()
    {
        Check.One(Seeded(60, 0x6d1e_0002UL), Prop.ForAll(Arb.From(Cases(Geometry.Mini, 40)), c =>
        {
            var run = Runs[c.Engine];
            Verdict found = run(c.Input);
            if (found.IsPass)
                return true;
            MinimizeResult first = new Minimizer(run, Budget).Minimize(c.Input, found.Signature);
            MinimizeResult second = new Minimizer(run, Budget).Minimize(c.Input, found.Signature);
            return first.Minimized.Equals(second.Minimized) && first.Attempts == second.Attempts;
        }));
    }

    [Fact]
    public void Minimised_real_geometry_inputs_fail_the_same_way_and_are_never_longer()
    {
        Check.One(Seeded(40, 0x6d1e_0003UL), Prop.ForAll(Arb.From(Cases(Geometry.Real, 24)), c =>
        {
            var run = Runs[c.Engine];
            Verdict found = run(c.Input);
            if (found.IsPass)
                return true;
            MinimizeResult result = new Minimizer(run, 600).Minimize(c.Input, found.Signature);
            return run(result.Minimized).Signature == found.Signature
                && result.Minimized.Ops.Length <= c.Input.Ops.Length
                && InputSize.Of(result.Minimized) <= InputSize.Of(c.Input);
        }));
    }
}
