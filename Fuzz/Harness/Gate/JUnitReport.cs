using System.Globalization;
using System.Xml.Linq;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The gate as JUnit XML, the format CI test tabs read: a <c>replay</c> suite with one test case per committed
/// script or input, and a <c>campaign</c> suite with one test case, <see cref="CampaignCase"/>, whose failure lists
/// every unique finding with its minimised reproducer. Names never depend on the outcome, so history tools link a
/// pass to a later failure; a script that could not be read or parsed is an <c>&lt;error&gt;</c>, not a failure; each
/// failing case carries <c>file</c>/<c>line</c> (<see cref="FailureLocation"/>), every replay case its script's file.
/// </summary>
/// <example>
/// <code>
/// &lt;testsuites name="p2mfuzz gate" tests="3" failures="1" errors="0" time="2.104"&gt;
///   &lt;testsuite name="replay" tests="2" failures="0" errors="0" skipped="0" time="0.031"&gt;
///     &lt;testcase classname="replay" name="corpus/foreign-refs-mini.p2m" file="corpus/foreign-refs-mini.p2m" time="0.012" /&gt; …
///   &lt;testsuite name="campaign" tests="1" failures="1" errors="0" skipped="0" time="2.073"&gt;
///     &lt;testcase classname="campaign" name="campaign" file="Targets/Engine/EngineP2M.Write.cs" line="361" time="2.073"&gt;
///       &lt;failure type="divergence:map:refs" message="1 finding: divergence:map:refs at step 2 …"&gt;DIVERGENCE … geometry mini …&lt;/failure&gt;
/// </code>
/// </example>
public static class JUnitReport
{
    /// <summary>The name of the campaign's one test case, the same whatever it found.</summary>
    public const string CampaignCase = "campaign";

    /// <summary>The report of <paramref name="result"/> as XML text, declaration first; <paramref name="locations"/> are its failures', in order.</summary>
    public static string Render(GateResult result, IReadOnlyList<FailureLocation> locations)
    {
        XDocument document = Build(result, locations);
        return $"{document.Declaration}\n{document}\n";
    }

    /// <summary>The report of <paramref name="result"/>, with <paramref name="locations"/> its failures', in order.</summary>
    public static XDocument Build(GateResult result, IReadOnlyList<FailureLocation> locations)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(locations);
        if (locations.Count != result.Failures.Count)
            throw new ArgumentException("one location per failure", nameof(locations));
        var located = result.Failures.Select((failure, i) => (Failure: failure, Location: locations[i])).ToArray();
        XElement replay = ReplaySuite(result, located);
        XElement campaign = CampaignSuite(result, located);
        var suites = new XElement("testsuites",
            new XAttribute("name", "p2mfuzz gate"),
            new XAttribute("tests", Sum("tests", replay, campaign)),
            new XAttribute("failures", Sum("failures", replay, campaign)),
            new XAttribute("errors", Sum("errors", replay, campaign)),
            new XAttribute("time", Seconds(result.Scripts.Sum(s => s.Seconds) + result.Campaign.Final.Seconds)),
            replay,
            campaign);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    private static XElement ReplaySuite(GateResult result, (GateFailure Failure, FailureLocation Location)[] located)
    {
        // A script named twice (overlapping directories) fails the same way twice: either failure will do.
        var failures = located.Where(f => f.Failure.Stage == GateStage.Replay).ToLookup(f => f.Failure.Name, StringComparer.Ordinal);
        SourceRoot root = SourceRoot.Find(result.Options.RepositoryRoot);
        int errors = 0;
        var cases = result.Scripts.Select(script =>
        {
            var testCase = Case("replay", script.Path, script.Seconds);
            testCase.Add(new XAttribute("file", root.Relative(script.Path) ?? Path.GetFullPath(script.Path)));
            if (script.Passed || failures[script.Path].FirstOrDefault() is not { Failure: not null } failure)
                return testCase;
            if (failure.Location.Line > 0)
                testCase.Add(new XAttribute("line", failure.Location.Line));
            bool unreadable = script.Verdict is null;
            errors += unreadable ? 1 : 0;
            testCase.Add(Problem(unreadable ? "error" : "failure", failure.Failure));
            return testCase;
        }).ToArray();
        int failed = result.ScriptsFailed - errors;
        return Suite("replay", result.Scripts.Count, failed, result.Scripts.Sum(s => s.Seconds), cases, errors);
    }

    private static XElement CampaignSuite(GateResult result, (GateFailure Failure, FailureLocation Location)[] located)
    {
        var findings = located.Where(f => f.Failure.Stage == GateStage.Campaign).ToArray();
        GateOptions options = result.Options;
        double seconds = result.Campaign.Final.Seconds;
        XElement only = Case("campaign", CampaignCase, seconds);
        string budget = options.Runs is long runs
            ? string.Create(CultureInfo.InvariantCulture, $"{runs} runs")
            : string.Create(CultureInfo.InvariantCulture, $"{options.TimeSeconds:0.#} s");
        only.Add(new XElement("properties",
            Property("budget", budget),
            Property("seed", options.Seed.ToString(CultureInfo.InvariantCulture)),
            Property("geometries", string.Join("+", options.Geometries)),
            Property("execs", result.Campaign.Final.Execs.ToString(CultureInfo.InvariantCulture)),
            Property("features", result.Campaign.Final.Features.ToString(CultureInfo.InvariantCulture))));
        if (findings.Length > 0)
        {
            (GateFailure first, FailureLocation location) = findings[0];
            only.Add(new XAttribute("file", location.FilePath));
            if (location.Line > 0)
                only.Add(new XAttribute("line", location.Line));
            string message = string.Create(CultureInfo.InvariantCulture,
                $"{findings.Length} finding{(findings.Length == 1 ? "" : "s")}: ") + string.Join("; ", findings.Select(f => f.Failure.Summary));
            string text = string.Join("\n\n", findings.Select(f => Text(f.Failure)));
            only.Add(new XElement("failure", new XAttribute("type", first.Signature), new XAttribute("message", message), new XText(text)));
            return Suite("campaign", 1, 1, seconds, [only]);
        }
        if (!result.Interrupted && !result.CutShort) return Suite("campaign", 1, 0, seconds, [only]);
        // Stopped before the budget was spent, so nothing was shown; an error, not a pass.
        only.Add(result.Interrupted
            ? new XElement("error", new XAttribute("type", "interrupted"),
                new XAttribute("message", "the gate was stopped by a signal before its campaign's budget was spent"))
            : new XElement("error", new XAttribute("type", "incomplete"),
                new XAttribute("message", string.Create(CultureInfo.InvariantCulture,
                    $"--time ended the campaign after {result.Campaign.Final.Execs} of {options.Runs} runs"))));
        return Suite("campaign", 1, 0, seconds, [only], errors: 1);
    }

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));

    private static XElement Suite(string name, int tests, int failures, double seconds, IEnumerable<XElement> cases, int errors = 0) =>
        new("testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", tests),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(seconds)),
            cases);

    private static XElement Case(string suite, string name, double seconds) =>
        new("testcase", new XAttribute("classname", suite), new XAttribute("name", name), new XAttribute("time", Seconds(seconds)));

    /// <summary>A <c>&lt;failure&gt;</c> or <c>&lt;error&gt;</c> (<paramref name="element"/>) for one failure.</summary>
    private static XElement Problem(string element, GateFailure failure) =>
        new(element,
            new XAttribute("type", failure.Signature),
            new XAttribute("message", failure.Summary),
            new XText(Text(failure)));

    private static string Text(GateFailure failure) => failure.Details + (failure.Repro is null ? "" : "\n\nreproducer:\n" + failure.Repro);

    private static int Sum(string attribute, params XElement[] suites) =>
        suites.Sum(s => int.Parse((string)s.Attribute(attribute)!, CultureInfo.InvariantCulture));

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
