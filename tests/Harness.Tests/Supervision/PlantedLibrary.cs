using P2M.Fuzz.Implementations;
using P2M.Fuzz.Supervision;

namespace P2M.Harness.Tests.Supervision;

/// <summary>The planted doubles of Targets/Planted as a worker process loads them, and the scripts that trip each one.</summary>
internal static class PlantedLibrary
{
    /// <summary>P2M.Planted.dll, copied beside the tests by the project reference.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "P2M.Planted.dll");

    /// <summary><c>assembly:…P2M.Planted.dll:TYPE</c>.</summary>
    public static ImplementationSpec Spec(string type) => ImplementationSpec.Assembly(Path, type);

    /// <summary>
    /// Limits for a test of <paramref name="type"/>: a short timeout where the point is a hang (each costs a whole
    /// timeout), a generous one everywhere else, so that a loaded machine never turns a slow step into a false hang.
    /// </summary>
    public static SupervisionOptions LimitsFor(string type) =>
        new() { TimeoutSeconds = type == "HangsOnForeignRelease" ? 2 : 30, RssLimitMb = 400 };

    /// <summary>A foreign entry, then its removal: the hang double spins in the release.</summary>
    public const string HangScript = """
        map gfn=0x10 mfn=0x20 nr=1 type=ram_rw
        foreign gfn=0x40 mfn=0x77 access=rw
        lookup gfn=0x10
        unmap gfn=0x40 nr=1
        map gfn=0x50 mfn=0x20 nr=1 type=ram_rw
        """;

    /// <summary>A superpage, then a split of it: the stack-overflow double recurses.</summary>
    public const string SplitScript = """
        map gfn=0x0 mfn=0x0 nr=8 type=ram_rw
        unmap gfn=0x1 nr=1
        """;

    /// <summary>A teardown: the thread-crash double throws on a thread of its own.</summary>
    public const string TeardownScript = """
        map gfn=0x0 mfn=0x0 nr=8 type=ram_rw
        teardown
        """;

    /// <summary>A grant frame mapped, then unmapped: the hoarding double allocates without end.</summary>
    public const string GrantScript = """
        grant-setup frames=2
        grant-map frame=1 gfn=0x30
        unmap gfn=0x30 nr=1
        """;
}
