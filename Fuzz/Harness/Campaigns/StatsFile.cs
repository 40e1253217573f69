using System.Text.Json;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// The campaign's stats over time as JSON lines, one <see cref="CampaignStatus"/> per line, flushed
/// as written so a killed campaign keeps its history; <c>p2mfuzz report</c> plots it.
/// </summary>
public sealed class StatsFile : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly StreamWriter _writer;

    /// <summary>Opens <paramref name="path"/> for appending.</summary>
    public StatsFile(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    /// <summary>Appends one snapshot.</summary>
    public void Write(CampaignStatus status) => _writer.WriteLine(JsonSerializer.Serialize(status, Json));

    /// <summary>Reads every snapshot of a stats file; lines that do not parse are skipped and counted.</summary>
    public static IReadOnlyList<CampaignStatus> Read(string path, out int skipped)
    {
        var statuses = new List<CampaignStatus>();
        skipped = 0;
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var status = JsonSerializer.Deserialize<CampaignStatus>(line, Json);
                if (status is null) skipped++;
                else statuses.Add(status);
            }
            catch (JsonException)
            {
                skipped++; // a line cut short by a kill, say
            }
        }
        return statuses;
    }

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}
