using System.Text.Json;
using P2M.Fuzz.Inputs;

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

    /// <summary>
    /// Reads every snapshot of a stats file, a regular file of at most <see cref="InputLimits.MaxFileBytes"/>
    /// of <paramref name="limits"/> (the defaults when null; see <see cref="InputFile"/>); lines that do not
    /// parse are skipped and counted.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, or is too large.</exception>
    public static IReadOnlyList<CampaignStatus> Read(string path, out int skipped, InputLimits? limits = null)
    {
        var statuses = new List<CampaignStatus>();
        skipped = 0;
        string text = InputFile.ReadAllText(path, limits ?? InputLimits.Default);
        foreach (string line in text.Split('\n'))
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
