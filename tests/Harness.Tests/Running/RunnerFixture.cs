using P2M.Contract;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;
using P2M.Oracle;

namespace P2M.Harness.Tests.Running;

/// <summary>Builds runners over the oracle and its tampered doubles, and runs script text through them.</summary>
internal static class RunnerFixture
{
    /// <summary>The path verdicts of <see cref="Run"/> carry.</summary>
    public const string ScriptPath = "test.p2m";

    /// <summary>The honest model.</summary>
    public static IP2M Model(P2MConfig config) => new OracleP2M(config);

    /// <summary>A factory for a <see cref="TamperedP2M"/> set up by <paramref name="setup"/>.</summary>
    public static Func<P2MConfig, IP2M> Tampered(Action<TamperedP2M> setup, string name = "tampered") => config =>
    {
        var p2m = new TamperedP2M(config, name);
        setup(p2m);
        return p2m;
    };

    /// <summary>A factory for a <see cref="SelfCheckingP2M"/> set up by <paramref name="setup"/>.</summary>
    public static Func<P2MConfig, IP2M> SelfChecking(Action<SelfCheckingP2M> setup, string name = "selfcheck") => config =>
    {
        var p2m = new SelfCheckingP2M(config, name);
        setup(p2m);
        return p2m;
    };

    /// <summary>Parses <paramref name="text"/> as <see cref="ScriptPath"/> and runs it, left against right (the oracle by default).</summary>
    public static Verdict Run(string text, Func<P2MConfig, IP2M> left, Func<P2MConfig, IP2M>? right = null, RunnerOptions? options = null)
    {
        Script script = ScriptParser.Parse(text, ScriptPath);
        return new DifferentialRunner(left, right ?? Model, options).Run(script);
    }
}
