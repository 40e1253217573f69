using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2M.Fuzz.Running;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The gate as SARIF 2.1.0, the format code scanning reads: tool <c>p2mfuzz</c> with its version and
/// <c>informationUri</c>, one rule and one error-level result per unique signature (a bug the replay and the
/// campaign both meet is one alert), placed by <see cref="FailureLocation"/> (the engine statement that made
/// the divergent write where that is known, a script's own line for a parse error or a failed expectation),
/// relative to <c>SRCROOT</c> (the repository root) where it lies inside it. Its message carries the reproducer in
/// markdown; related locations name every failing script and stored finding with that signature.
/// </summary>
/// <example>
/// <code>
/// { "version": "2.1.0", "runs": [ { "tool": { "driver": { "name": "p2mfuzz", "version": "1.0.0+…", "informationUri": "…", "rules": [ { "id": "divergence:map:refs", … } ] } },
///   "results": [ { "ruleId": "divergence:map:refs", "level": "error",
///     "message": { "text": "divergence:map:refs at step 2, map gfn=0x0 …: refs at mfn 0x7: engine 1, oracle 0", "markdown": "… ```p2m …" },
///     "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "Targets/Engine/EngineP2M.Write.cs", "uriBaseId": "SRCROOT" },
///                                            "region": { "startLine": 361 } } } ] } ] } ] }
/// </code>
/// </example>
public static class SarifReport
{
    /// <summary>The SARIF schema the report follows.</summary>
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The base id every location is relative to: the repository root.</summary>
    public const string RootBaseId = "SRCROOT";

    /// <summary>The variables GitHub Actions sets to the server and the repository, from which <c>informationUri</c> is made there.</summary>
    public const string ServerVariable = "GITHUB_SERVER_URL", RepositoryVariable = "GITHUB_REPOSITORY";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report of <paramref name="result"/> as indented JSON; <paramref name="locations"/> are its failures' (see <see cref="FailureLocation"/>), in order.</summary>
    public static string Render(GateResult result, IReadOnlyList<FailureLocation> locations, SourceRoot root) =>
        Build(result, locations, root).ToJsonString(Indented);

    /// <summary>The p2mfuzz version reports name: the harness assembly's informational version (with the commit when the build knew it).</summary>
    public static string ToolVersion { get; } =
        typeof(SarifReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SarifReport).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Where a person reads about the tool: the repository's page on GitHub under Actions, otherwise the README in the checkout.</summary>
    public static string InformationUri(SourceRoot root, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(environment);
        string? server = environment(ServerVariable), repository = environment(RepositoryVariable);
        return !string.IsNullOrEmpty(server) && !string.IsNullOrEmpty(repository)
            ? $"{server.TrimEnd('/')}/{repository}#readme"
            : root.Uri + "README.md";
    }

    /// <summary>The report of <paramref name="result"/>, with <paramref name="locations"/> its failures', in order.</summary>
    public static JsonObject Build(GateResult result, IReadOnlyList<FailureLocation> locations, SourceRoot root)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(root);
        if (locations.Count != result.Failures.Count)
            throw new ArgumentException("one location per failure", nameof(locations));
        // One result per signature, described by its first failure (replay failures come first: a committed script).
        var bySignature = result.Failures.Select((failure, i) => (Failure: failure, Location: locations[i]))
            .GroupBy(f => f.Failure.Signature, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();
        var rules = new JsonArray(bySignature.Select(g => (JsonNode)Rule(g.Key, g.First().Failure)).ToArray());
        var results = new JsonArray(bySignature.Select((g, i) => (JsonNode)Result(g.ToArray(), i, root)).ToArray());
        var run = new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = "p2mfuzz",
                    ["version"] = ToolVersion,
                    ["informationUri"] = InformationUri(root, result.Options.GetEnvironmentVariable),
                    ["rules"] = rules,
                },
            },
            ["originalUriBaseIds"] = new JsonObject { [RootBaseId] = new JsonObject { ["uri"] = root.Uri } },
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

    /// <summary>The one result of a signature: its first failure's message and location, every failure's reproducer as a related location.</summary>
    private static JsonObject Result((GateFailure Failure, FailureLocation Location)[] failures, int ruleIndex, SourceRoot root)
    {
        (GateFailure first, FailureLocation location) = failures[0];
        JsonObject physical = Physical(location.Uri, location.InRoot, location.Line);
        if (location.Method is { } method)
            physical["logicalLocations"] = new JsonArray(new JsonObject { ["name"] = method, ["kind"] = "function" });
        var result = new JsonObject
        {
            ["ruleId"] = first.Signature,
            ["ruleIndex"] = ruleIndex,
            ["level"] = "error",
            ["message"] = new JsonObject { ["text"] = first.Summary + Also(failures), ["markdown"] = Markdown(first, Also(failures)) },
            ["locations"] = new JsonArray(physical),
            // Stable across commits, wherever the line moves: one alert per signature.
            ["partialFingerprints"] = new JsonObject { ["p2mfuzzSignature/v1"] = first.Signature },
            ["properties"] = new JsonObject
            {
                ["stages"] = new JsonArray(failures.Select(f => (JsonNode)f.Failure.Stage.ToString().ToLowerInvariant()).Distinct().ToArray()),
                ["names"] = new JsonArray(failures.Select(f => (JsonNode)f.Failure.Name).ToArray()),
                ["repro"] = first.Repro,
            },
        };
        var related = new JsonArray();
        foreach ((GateFailure failure, _) in failures)
        {
            if (failure.ReproPath is not { } path)
                continue;
            JsonObject reproduced = root.Relative(path) is { } relative
                ? Physical(relative, true, failure.ReproLine)
                : Physical(new Uri(Path.GetFullPath(path)).AbsoluteUri, false, failure.ReproLine);
            reproduced["id"] = related.Count + 1;
            reproduced["message"] = new JsonObject { ["text"] = failure.Stage == GateStage.Replay ? $"the failing script {failure.Name}" : "the minimised reproducer" };
            related.Add(reproduced);
        }
        if (related.Count > 0)
            result["relatedLocations"] = related;
        return result;
    }

    /// <summary>The other failures of the same signature, for the message (empty when there is only one).</summary>
    private static string Also((GateFailure Failure, FailureLocation Location)[] failures) =>
        failures.Length == 1 ? "" : $" (also: {string.Join(", ", failures.Skip(1).Select(f => $"{f.Failure.Stage.ToString().ToLowerInvariant()} {f.Failure.Name}"))})";

    private static JsonObject Physical(string uri, bool inRoot, int line)
    {
        var artifact = new JsonObject { ["uri"] = uri };
        if (inRoot)
            artifact["uriBaseId"] = RootBaseId;
        var physical = new JsonObject { ["artifactLocation"] = artifact };
        if (line > 0)
            physical["region"] = new JsonObject { ["startLine"] = line };
        return new JsonObject { ["physicalLocation"] = physical };
    }

    private static string Markdown(GateFailure failure, string also) =>
        $"**{failure.Summary}**{also}" + (failure.Repro is null ? "" : $"\n\nReproducer:\n\n```p2m\n{failure.Repro.TrimEnd('\n')}\n```\n");
}
