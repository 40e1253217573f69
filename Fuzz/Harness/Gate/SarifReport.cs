using System.Text.Json;
using System.Text.Json.Nodes;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The gate as SARIF 2.1.0, the format code scanning reads: tool <c>p2mfuzz</c>, one rule per
/// signature, one error-level result per failure. Each result's location is the engine source where
/// the failure surfaced (<see cref="DivergenceSite"/>), relative to <c>SRCROOT</c> (the repository
/// root), so a review shows it on the engine's code; its message carries the minimised reproducer in
/// markdown, and a related location names the reproducer's file when it lies in the repository.
/// </summary>
/// <example>
/// <code>
/// { "version": "2.1.0", "runs": [ { "tool": { "driver": { "name": "p2mfuzz", "rules": [ { "id": "divergence:map:refs", … } ] } },
///   "results": [ { "ruleId": "divergence:map:refs", "level": "error",
///     "message": { "text": "divergence:map:refs at step 2, map gfn=0x0 …: refs at mfn 0x7: engine 1, oracle 0", "markdown": "… ```p2m …" },
///     "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "Targets/Engine/EngineP2M.cs", "uriBaseId": "SRCROOT" },
///                                            "region": { "startLine": 133 } } } ] } ] } ] }
/// </code>
/// </example>
public static class SarifReport
{
    /// <summary>The SARIF schema the report follows.</summary>
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The base id every location is relative to: the repository root.</summary>
    public const string RootBaseId = "SRCROOT";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report of <paramref name="result"/> as indented JSON.</summary>
    public static string Render(GateResult result, EngineSourceIndex sources) => Build(result, sources).ToJsonString(Indented);

    /// <summary>The report of <paramref name="result"/>, locating failures in the sources <paramref name="sources"/> reads.</summary>
    public static JsonObject Build(GateResult result, EngineSourceIndex sources)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sources);
        string[] signatures = result.Failures.Select(f => f.Signature).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var rules = new JsonArray(signatures.Select(s => (JsonNode)Rule(s, result.Failures.First(f => f.Signature == s))).ToArray());
        var results = new JsonArray(result.Failures.Select(f => (JsonNode)Result(f, Array.IndexOf(signatures, f.Signature), sources)).ToArray());
        var run = new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = "p2mfuzz",
                    ["rules"] = rules,
                },
            },
            ["originalUriBaseIds"] = new JsonObject { [RootBaseId] = new JsonObject { ["uri"] = sources.Root.Uri } },
            ["invocations"] = new JsonArray(new JsonObject { ["executionSuccessful"] = true, ["exitCode"] = result.ExitCode }),
            ["results"] = results,
        };
        return new JsonObject
        {
            ["$schema"] = Schema,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(run),
        };
    }

    private static string Fingerprint(GateFailure failure) =>
        failure.Stage == GateStage.Replay ? $"replay:{failure.Name}:{failure.Signature}" : $"campaign:{failure.Signature}";

    private static JsonObject Rule(string signature, GateFailure example) => new()
    {
        ["id"] = signature,
        ["shortDescription"] = new JsonObject { ["text"] = signature },
        ["fullDescription"] = new JsonObject { ["text"] = Describe(example.Verdict?.Kind) },
        ["help"] = new JsonObject
        {
            ["text"] = "Save the result's reproducer under crashes/ and run ./run-fuzz.sh replay crashes/<name>.p2m; " +
                       "once fixed, keep it there as a regression test.",
            ["markdown"] = "Save the result's reproducer (the `p2m` block) under `crashes/` and run " +
                           "`./run-fuzz.sh replay crashes/<name>.p2m`; once fixed, keep it there as a regression test.",
        },
        ["defaultConfiguration"] = new JsonObject { ["level"] = "error" },
        ["properties"] = new JsonObject { ["tags"] = new JsonArray("p2mfuzz", signature.Split(':')[0]) },
    };

    private static string Describe(VerdictKind? kind) => kind switch
    {
        VerdictKind.Divergence => "The engine and the oracle disagreed after an operation (result, frame, reference count or grant frame).",
        VerdictKind.ExpectationFailed => "An expect line of a committed script did not hold.",
        VerdictKind.Exception => "An implementation threw instead of answering.",
        VerdictKind.Invariant => "The engine's own structure is broken: its type storage or one of its audits failed.",
        VerdictKind.Crash => "The process running the implementation died (stack overflow, abort, signal, unhandled exception on any thread).",
        VerdictKind.Timeout => "An operation did not finish within the time limit: the implementation hangs.",
        VerdictKind.Oom => "The implementation went over the memory limit.",
        _ => "A committed script could not be read or parsed.",
    };

    private static JsonObject Result(GateFailure failure, int ruleIndex, EngineSourceIndex sources)
    {
        var result = new JsonObject
        {
            ["ruleId"] = failure.Signature,
            ["ruleIndex"] = ruleIndex,
            ["level"] = "error",
            ["message"] = new JsonObject { ["text"] = failure.Summary, ["markdown"] = Markdown(failure) },
            ["locations"] = new JsonArray(Location(failure, sources)),
            // Stable across commits, wherever the line moves: one alert per failing script, one per finding's signature.
            ["partialFingerprints"] = new JsonObject { ["p2mfuzzFailure/v1"] = Fingerprint(failure) },
            ["properties"] = new JsonObject
            {
                ["stage"] = failure.Stage.ToString().ToLowerInvariant(),
                ["name"] = failure.Name,
                ["repro"] = failure.Repro,
            },
        };
        string? reproUri = failure.ReproPath is null ? null : sources.Root.Relative(failure.ReproPath);
        if (reproUri is not null)
        {
            var related = Physical(reproUri, failure.ReproLine);
            related["id"] = 1;
            related["message"] = new JsonObject { ["text"] = failure.Stage == GateStage.Replay ? "the failing script" : "the minimised reproducer" };
            result["relatedLocations"] = new JsonArray(related);
        }
        return result;
    }

    /// <summary>Where the failure surfaced in the engine; for a script that did not parse, the script itself.</summary>
    private static JsonObject Location(GateFailure failure, EngineSourceIndex sources)
    {
        if (failure.Verdict is { } verdict && DivergenceSite.Locate(verdict, sources) is { } site)
        {
            JsonObject location = Physical(site.Uri, site.Line);
            location["logicalLocations"] = new JsonArray(new JsonObject { ["name"] = site.Method, ["kind"] = "function" });
            return location;
        }
        if (failure.ReproPath is not null && sources.Root.Relative(failure.ReproPath) is { } script)
            return Physical(script, failure.ReproLine);
        // Code scanning wants a location on every result: the engine as a whole.
        return Physical($"{SourceRoot.EngineFolder}/EngineP2M.cs", 0);
    }

    private static JsonObject Physical(string uri, int line)
    {
        var physical = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = uri, ["uriBaseId"] = RootBaseId } };
        if (line > 0)
            physical["region"] = new JsonObject { ["startLine"] = line };
        return new JsonObject { ["physicalLocation"] = physical };
    }

    private static string Markdown(GateFailure failure) =>
        $"**{failure.Summary}**" + (failure.Repro is null ? "" : $"\n\nReproducer:\n\n```p2m\n{failure.Repro.TrimEnd('\n')}\n```\n");
}
