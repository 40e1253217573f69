using P2M.Fuzz.Corpus;
using P2M.Fuzz.Findings;
using P2M.Fuzz.Inputs;

namespace P2M.Harness.Tests.Inputs;

/// <summary>Temporaries left by killed writers go when a store opens; a live writer's stay, and nobody else's are touched.</summary>
public sealed class StaleTemporariesTests : IDisposable
{
    // Above Linux's largest pid_max (2^22): no process can have it.
    private const int GonePid = (1 << 22) + 1;

    private readonly string _dir = Directory.CreateTempSubdirectory("p2mfuzz-stale-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Temporary(string target, int pid, TimeSpan age)
    {
        string path = Path.Combine(_dir, $".{target}.p2mfuzz-{pid}-{Guid.NewGuid():N}.tmp");
        File.WriteAllText(path, "half");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private string Other(string name, TimeSpan age)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "not ours");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public void A_temporary_of_a_process_that_is_gone_is_removed_and_a_live_ones_is_kept()
    {
        string stale = Temporary("abc.p2m", GonePid, TimeSpan.FromMinutes(10));
        string live = Temporary("abc.p2m", Environment.ProcessId, TimeSpan.FromMinutes(10));
        var warnings = new StringWriter();

        Assert.Equal(1, StaleTemporaries.Remove(_dir, warnings));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.Contains("removed 1 temporary file(s)", warnings.ToString());
    }

    [Fact]
    public void A_young_temporary_is_kept_even_when_its_writer_looks_gone_and_a_very_old_one_goes_whatever_its_writer()
    {
        string young = Temporary("x.bin", GonePid, TimeSpan.FromSeconds(5));
        string ancient = Temporary("x.bin", Environment.ProcessId, TimeSpan.FromDays(2));

        StaleTemporaries.Remove(_dir, TextWriter.Null);

        Assert.True(File.Exists(young));
        Assert.False(File.Exists(ancient));
    }

    [Fact]
    public void Files_that_are_not_this_tools_temporaries_are_never_touched()
    {
        string[] others =
        [
            Other(".notes.tmp", TimeSpan.FromDays(30)),
            Other(".x.p2mfuzz-1-not-hex.tmp", TimeSpan.FromDays(30)),
            Other("visible.p2mfuzz-1-0123456789abcdef0123456789abcdef.tmp", TimeSpan.FromDays(30)),
            Other(".x.p2m", TimeSpan.FromDays(30)),
        ];
        // The form written before writers recorded their id: this tool's, removed by age alone.
        string legacyOld = Other($".y.p2m.{Guid.NewGuid():N}.tmp", TimeSpan.FromDays(2));
        string legacyYoung = Other($".y.p2m.{Guid.NewGuid():N}.tmp", TimeSpan.FromHours(1));

        StaleTemporaries.Remove(_dir, TextWriter.Null);

        Assert.All(others, path => Assert.True(File.Exists(path), path));
        Assert.False(File.Exists(legacyOld));
        Assert.True(File.Exists(legacyYoung));
    }

    [Fact]
    public void Atomic_writes_name_their_temporaries_with_this_process()
    {
        string name = TemporaryName.For("abc.p2m");
        Assert.True(TemporaryName.TryParse(name, out int? writer));
        Assert.Equal(Environment.ProcessId, writer);
        Assert.StartsWith(".abc.p2m.p2mfuzz-", name);
    }

    [Fact]
    public void The_corpus_and_crash_stores_sweep_their_directory_when_they_open_it()
    {
        string corpusDir = Path.Combine(_dir, "corpus"), crashDir = Path.Combine(_dir, "crashes");
        Directory.CreateDirectory(corpusDir);
        Directory.CreateDirectory(crashDir);
        string[] stale = [Path.Combine(corpusDir, $".e.p2mfuzz-{GonePid}-{Guid.NewGuid():N}.tmp"), Path.Combine(crashDir, $".c.p2m.p2mfuzz-{GonePid}-{Guid.NewGuid():N}.tmp")];
        foreach (string path in stale)
        {
            File.WriteAllText(path, "half");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        }

        _ = new CorpusStore(corpusDir);
        _ = new CrashStore(crashDir);

        Assert.All(stale, path => Assert.False(File.Exists(path), path));
    }
}
