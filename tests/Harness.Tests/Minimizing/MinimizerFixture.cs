using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;

namespace P2M.Harness.Tests.Minimizing;

/// <summary>Builds the minimiser's "run a candidate" delegate: an engine double against the oracle.</summary>
internal static class MinimizerFixture
{
    /// <summary>Runs candidates through <paramref name="engine"/> (left) and the oracle (right).</summary>
    public static Func<FuzzInput, Verdict> Against(Func<P2MConfig, IP2M> engine)
    {
        var runner = new DifferentialRunner(engine, c => new OracleP2M(c));
        return input => runner.Run(input.Config, input.Ops);
    }

    /// <summary>The operations of a script text (no expectations), for building inputs readably.</summary>
    public static FuzzInput Input(string script) => FuzzInput.FromScript(ScriptParser.Parse(script, "test.p2m"));

    /// <summary>The input as script text, for failure messages.</summary>
    public static string Print(FuzzInput input) => ScriptPrinter.Print(input.ToScript("minimised.p2m"));
}
