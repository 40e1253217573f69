using System.Diagnostics;

namespace P2M.Harness.Tests.Inputs;

/// <summary>
/// A throw-away directory of the files a hostile pull request or a careless user can put in a corpus:
/// a link cycle, a link to <c>/dev/zero</c>, a FIFO, a link to <c>/etc/passwd</c>, a 1 MiB token, and
/// one honest script beside them. Linux only, as the tools it needs (<c>mkfifo</c>) are.
/// </summary>
internal sealed class HostileTree : IDisposable
{
    /// <summary>A script every engine passes.</summary>
    public const string HonestScript = """
        # honest: one map, one lookup
        geometry mini
        map gfn=0x10 mfn=0x20 nr=1 type=ram_rw
        lookup gfn=0x10
        expect gfn=0x10 mfn=0x20 type=ram_rw order=0
        """;

    /// <summary>Characters in the long token.</summary>
    public const int TokenLength = 1 << 20;

    public HostileTree(bool cycle = true, bool zero = true, bool fifo = true, bool passwd = true, bool token = true)
    {
        Root = Directory.CreateTempSubdirectory("p2mfuzz-hostile-").FullName;
        Directory.CreateDirectory(Corpus);
        File.WriteAllText(Path.Combine(Corpus, "honest-mini.p2m"), HonestScript + "\n");
        if (cycle)
        {
            Directory.CreateDirectory(Path.Combine(Corpus, "sub"));
            File.CreateSymbolicLink(Path.Combine(Corpus, "sub", "loop"), "..");
        }
        if (zero) File.CreateSymbolicLink(Path.Combine(Corpus, "zero.p2m"), "/dev/zero");
        if (fifo) MakeFifo(Path.Combine(Corpus, "fifo.p2m"));
        if (passwd) File.CreateSymbolicLink(Path.Combine(Corpus, "passwd.p2m"), "/etc/passwd");
        if (token) File.WriteAllText(Path.Combine(Corpus, "token.p2m"), "geometry mini\nmap gfn=" + new string('7', TokenLength) + "x mfn=0 nr=1 type=ram_rw\n");
    }

    /// <summary>The temporary folder; the corpus and anything a test writes go under it.</summary>
    public string Root { get; }

    /// <summary>The hostile corpus.</summary>
    public string Corpus => Path.Combine(Root, "corpus");

    /// <summary>A path under <see cref="Root"/>.</summary>
    public string Under(string name) => Path.Combine(Root, name);

    /// <summary>The first line of <c>/etc/passwd</c>, which must appear in no output.</summary>
    public static string PasswdFirstLine
    {
        get
        {
            string line = File.ReadLines("/etc/passwd").First();
            // Shorter than an excerpt, a line could be shown whole by design; every Linux's is longer.
            Assert.True(line.Length > Fuzz.Inputs.InputExcerpt.DefaultLength, $"/etc/passwd's first line is too short for this test: {line.Length}");
            return line;
        }
    }

    /// <summary>Makes a FIFO at <paramref name="path"/>.</summary>
    public static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
