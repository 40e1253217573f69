using System.Text.Json.Nodes;

namespace P2M.Fuzz.Campaigns;

/// <summary>
/// What a worker counts beside its corpus and features: per mutator (<see cref="MutationStats"/>) and per probe
/// counter (<see cref="ProbeHits"/>). A worker process sends its tally to its supervisor now and then as JSON; a
/// supervisor keeps what a dead worker last sent and adds it to its successor's.
/// </summary>
public sealed class WorkerTally
{
    /// <summary>Per-mutator counts.</summary>
    public MutationStats Mutations { get; } = new();

    /// <summary>Per-probe hit counts.</summary>
    public ProbeHits Probes { get; } = new();

    /// <summary>Adds <paramref name="other"/>'s counts.</summary>
    public void Add(WorkerTally other)
    {
        Mutations.Add(other.Mutations);
        Probes.Add(other.Probes);
    }

    /// <summary>Sets every count back to 0.</summary>
    public void Clear()
    {
        Mutations.Clear();
        Probes.Clear();
    }

    /// <summary>
    /// The tally as JSON: <c>{"mutators":{"ChangeArg":[tries,new,findings],…},"probes":{"12":hits,…}}</c>
    /// (probe counters never hit are left out).
    /// </summary>
    public JsonObject ToJson()
    {
        var mutators = new JsonObject();
        foreach (MutatorStat stat in Mutations.Snapshot())
            mutators[stat.Name] = new JsonArray(stat.Tries, stat.NewInputs, stat.Findings);
        var probes = new JsonObject();
        foreach ((int counter, long hits) in Probes.Snapshot())
            probes[counter.ToString(System.Globalization.CultureInfo.InvariantCulture)] = hits;
        return new JsonObject { ["mutators"] = mutators, ["probes"] = probes };
    }

    /// <summary>Reads a tally written by <see cref="ToJson"/>; anything malformed in it is left out.</summary>
    public static WorkerTally FromJson(JsonObject? json)
    {
        var tally = new WorkerTally();
        if (json?["mutators"] is JsonObject mutators)
        {
            var stats = new List<MutatorStat>();
            foreach ((string name, JsonNode? value) in mutators)
            {
                if (value is JsonArray { Count: 3 } counts)
                    stats.Add(new MutatorStat(name, Long(counts[0]), Long(counts[1]), Long(counts[2])));
            }
            tally.Mutations.Add(stats);
        }
        if (json?["probes"] is JsonObject probes)
        {
            var hits = new Dictionary<int, long>();
            foreach ((string counter, JsonNode? value) in probes)
            {
                if (int.TryParse(counter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                    hits[index] = Long(value);
            }
            tally.Probes.Add(hits);
        }
        return tally;
    }

    private static long Long(JsonNode? node) => node is JsonValue value && value.TryGetValue(out long n) ? n : 0;
}
