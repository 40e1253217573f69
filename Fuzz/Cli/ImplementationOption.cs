using System.CommandLine;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The <c>--impl</c> option, one definition for every command that puts implementations under test. Given
/// more than once, every implementation named runs against the oracle and a verdict names the one at fault.
/// </summary>
internal static class ImplementationOption
{
    /// <summary>A new <c>--impl</c> (an option belongs to one command); none given means <c>engine</c>.</summary>
    public static Option<string[]> Create() => new("--impl")
    {
        Description = "The implementation under test: 'engine' (the default), 'assembly:PATH[:TYPE]' (a .NET assembly with an IP2M type), " +
                      "or 'native:PATH' (a shared library speaking p2m_impl.h; docs/PLUGINS.md). Repeat it to run several, each against " +
                      "the oracle: a finding then names the implementation that failed first.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
