using System.Text.Json;
using System.Text.Json.Nodes;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// The campaign's stats over time as JSON lines, flushed as written so a killed campaign keeps its history;
/// <c>p2mfuzz report</c> turns it into a page. Each line is a <see cref="CampaignStatus"/> snapshot, or
/// <c>{"new":…}</c>, a <see cref="NewCoverage"/> (an input that joined the corpus, with its mutation
/// sequence). Campaigns append to the same file; every line names its run, so runs stay apart.
/// </summary>
public sealed class StatsFile : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly StreamWriter _writer;
    private readonly object _lock = new();

    /// <summary>Opens <paramref name="path"/> for appending.</summary>
    public StatsFile(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    /// <summary>Appends one snapshot.</summary>
    public void Write(CampaignStatus status)
    {
        string line = JsonSerializer.Serialize(status, Json);
        lock (_lock) _writer.WriteLine(line);
    }

    /// <summary>Appends one new corpus entry (from any thread).</summary>
    public void Write(NewCoverage added)
    {
        string line = new JsonObject { ["new"] = JsonSerializer.SerializeToNode(added, Json) }.ToJsonString();
        lock (_lock) _writer.WriteLine(line);
    }

    /// <summary>
    /// Reads every line of a stats file, a regular file of at most <see cref="InputLimits.MaxFileBytes"/> of
    /// <paramref name="limits"/> (the defaults when null; see <see cref="InputFile"/>), grouped into runs in the
    /// order they first appear. A line without a run (an older file) starts a new run when its time goes back.
    /// Lines that do not parse are skipped and counted.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, or is too large.</exception>
    public static IReadOnlyList<CampaignRun> Read(string path, out int skipped, InputLimits? limits = null)
    {
        var runs = new List<CampaignRun>();
        var byName = new Dictionary<string, CampaignRun>(StringComparer.Ordinal);
        CampaignRun? unnamed = null;
        skipped = 0;
        string text = InputFile.ReadAllText(path, limits ?? InputLimits.Default);
        foreach (string line in text.Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonNode.Parse(line) is not JsonObject json)
                {
                    skipped++;
                    continue;
                }
                if (json["new"] is JsonObject entry)
                {
                    var added = entry.Deserialize<NewCoverage>(Json);
                    if (added is null) skipped++;
                    else RunOf(added.Run, seconds: null).NewInputs.Add(added);
                    continue;
                }
                var status = json.Deserialize<CampaignStatus>(Json);
                if (status is null) skipped++;
                else RunOf(status.Run, status.Seconds).Statuses.Add(status);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                skipped++; // a line cut short by a kill, say
            }
        }
        return runs;

        CampaignRun RunOf(string? name, double? seconds)
        {
            if (name is not null)
            {
                if (!byName.TryGetValue(name, out CampaignRun? run))
                {
                    run = new CampaignRun(name);
                    byName[name] = run;
                    runs.Add(run);
                }
                return run;
            }
            if (unnamed is null || (seconds is double s && unnamed.Statuses.Count > 0 && s < unnamed.Statuses[^1].Seconds))
            {
                unnamed = new CampaignRun($"run {runs.Count + 1}");
                runs.Add(unnamed);
            }
            return unnamed;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock) _writer.Dispose();
    }
}

/// <summary>One campaign's lines of a stats file: its snapshots in order and the inputs it added.</summary>
/// <param name="Name">Its run (start time and seed), or <c>run N</c> for lines that name none.</param>
public sealed record CampaignRun(string Name)
{
    /// <summary>Its snapshots, in the order written (the last is the final one).</summary>
    public List<CampaignStatus> Statuses { get; } = new();

    /// <summary>The inputs it added to the corpus, with their mutation sequences.</summary>
    public List<NewCoverage> NewInputs { get; } = new();
}
