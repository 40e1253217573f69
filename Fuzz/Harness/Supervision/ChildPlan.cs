using System.Text.Json;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// What a child process is told to do, written by its supervisor to a file the child reads at start:
/// which implementation to build, where its status page is, the input limits, and for a fuzz worker
/// its share of the campaign. A file rather than arguments, so that one definition of each setting
/// crosses the process boundary as it is.
/// </summary>
public sealed record ChildPlan
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The implementation under test, as <see cref="ImplementationSpec.Text"/>.</summary>
    public required string Implementation { get; init; }

    /// <summary>The status page the child writes.</summary>
    public required string StatusPage { get; init; }

    /// <summary>Limits of the inputs the child parses.</summary>
    public InputLimits Limits { get; init; } = InputLimits.Default;

    /// <summary>For a fuzz worker: its part of the campaign; null for an executor.</summary>
    public WorkerPlan? Worker { get; init; }

    /// <summary>Writes the plan to <paramref name="path"/>.</summary>
    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a plan written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a plan.</exception>
    public static ChildPlan Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ChildPlan>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty plan");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a child plan: {e.Message}", e);
        }
    }
}
