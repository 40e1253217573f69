using System.CommandLine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Engines;
using P2M.Fuzz.Implementations;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>--impl</c> and <c>--coverage</c> for the commands an external fuzzer runs (<c>libfuzzer</c>,
/// <c>afl</c>) and the one that triages their artifacts: which implementation, and which maps it fills.
/// When IL edges are read, <c>engine</c> means the sharpfuzz-instrumented engine.
/// </summary>
internal sealed class ExternalTargetOptions
{
    public ExternalTargetOptions(CoverageMode defaultCoverage)
    {
        Impl = ImplementationOption.Create();
        Coverage = new Option<string>("--coverage")
        {
            Description = "Maps handed to the fuzzer: the engine's probes (semantic), the IL edges of the instrumented engine (il), or both.",
            DefaultValueFactory = _ => defaultCoverage.Name(),
        };
        Coverage.AcceptOnlyFromAmong([.. CoverageModes.Names]);
    }

    public Option<string[]> Impl { get; }

    public Option<string> Coverage { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Impl);
        command.Options.Add(Coverage);
    }

    /// <summary>The target the command line names; null (the reason on <paramref name="error"/>) when it cannot be built.</summary>
    public ExternalTarget? Resolve(ParseResult parse, TextWriter error, out CoverageMode coverage)
    {
        coverage = CoverageModes.Parse(parse.GetValue(Coverage)!);
        try
        {
            ImplementationSpec spec = ImplementationSpec.Parse(parse.GetValue(Impl));
            if (coverage.ReadsEdges()) spec = InstrumentedEngine.For(spec);
            // The fuzzer runs the implementation in this very process: an ASan build needs its runtime first.
            Implementations.Native.SanitizerPreload.Ensure(spec, error);
            return new ExternalTarget(spec, coverage);
        }
        catch (ImplementationException e)
        {
            error.WriteLine($"p2mfuzz: {e.Message}");
            return null;
        }
    }
}
