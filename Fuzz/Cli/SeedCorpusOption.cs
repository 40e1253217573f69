using System.CommandLine;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>--seed-corpus DIR</c> (repeatable), as <c>fuzz</c> and <c>gate</c> both take it: directories the campaign reads
/// its first inputs from and never writes (the committed <c>corpus/</c>, a corpus kept by CI's cache). Each must exist.
/// </summary>
internal static class SeedCorpusOption
{
    /// <summary>The option's name.</summary>
    public const string Name = "--seed-corpus";

    /// <summary>A new instance of the option (System.CommandLine options belong to one command).</summary>
    public static Option<string[]> Create() => new(Name)
    {
        Description = "A directory the campaign reads seeds from at start and never writes (repeatable), e.g. a corpus kept by CI's cache.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>True when every directory in <paramref name="directories"/> exists; otherwise says which does not, as <paramref name="command"/>'s.</summary>
    public static bool Check(string command, IEnumerable<string> directories, TextWriter error) =>
        directories.All(directory => CommandPaths.InputDirectory($"{command} {Name}", directory, error));
}
