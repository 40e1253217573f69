using System.Globalization;
using System.Xml.Linq;

namespace P2M.Fuzz.Gate;

/// <summary>
/// The gate as JUnit XML, the format CI test tabs read: a <c>replay</c> suite with one test case per
/// committed script, and a <c>campaign</c> suite with one test case per unique finding (its failure
/// holding the verdict and the minimised reproducer), or one passing case when the campaign found nothing.
/// </summary>
/// <example>
/// <code>
/// &lt;testsuites name="p2mfuzz gate" tests="3" failures="1" errors="0" time="2.104"&gt;
///   &lt;testsuite name="replay" tests="2" failures="0" errors="0" skipped="0" time="0.031"&gt;
///     &lt;testcase classname="replay" name="corpus/foreign-refs-mini.p2m" time="0.012" /&gt; …
///   &lt;testsuite name="campaign" tests="1" failures="1" errors="0" skipped="0" time="2.073"&gt;
///     &lt;testcase classname="campaign" name="divergence:map:refs" time="0"&gt;
///       &lt;failure type="divergence:map:refs" message="divergence:map:refs at step 2 …"&gt;DIVERGENCE … geometry mini …&lt;/failure&gt;
/// </code>
/// </example>
public static class JUnitReport
{
    /// <summary>The report of <paramref name="result"/> as XML text, declaration first.</summary>
    public static string Render(GateResult result)
    {
        XDocument document = Build(result);
        return $"{document.Declaration}\n{document}\n";
    }

    /// <summary>The report of <paramref name="result"/>.</summary>
    public static XDocument Build(GateResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        XElement replay = ReplaySuite(result);
        XElement campaign = CampaignSuite(result);
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

    private static XElement ReplaySuite(GateResult result)
    {
        // A script named twice (overlapping directories) fails the same way twice: either failure will do.
        var failures = result.Failures.Where(f => f.Stage == GateStage.Replay).ToLookup(f => f.Name, StringComparer.Ordinal);
        var cases = result.Scripts.Select(script =>
        {
            var testCase = Case("replay", script.Path, script.Seconds);
            if (!script.Passed && failures[script.Path].FirstOrDefault() is { } failure)
                testCase.Add(Failure(failure));
            return testCase;
        });
        return Suite("replay", result.Scripts.Count, result.ScriptsFailed, result.Scripts.Sum(s => s.Seconds), cases);
    }

    private static XElement CampaignSuite(GateResult result)
    {
        var findings = result.Failures.Where(f => f.Stage == GateStage.Campaign).ToArray();
        GateOptions options = result.Options;
        double seconds = result.Campaign.Final.Seconds;
        if (findings.Length == 0)
        {
            // Named by the run count when there is one: a --time ceiling does not change what was asked for.
            string budget = options.Runs is long runs
                ? string.Create(CultureInfo.InvariantCulture, $"{runs} runs")
                : string.Create(CultureInfo.InvariantCulture, $"{options.TimeSeconds:0.#} s");
            string name = string.Create(CultureInfo.InvariantCulture,
                $"{budget}, seed {options.Seed}, {string.Join("+", options.Geometries)}: no findings");
            XElement only = Case("campaign", name, seconds);
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
        // One time for the whole campaign: findings are not timed one by one.
        return Suite("campaign", findings.Length, findings.Length, seconds,
            findings.Select(f =>
            {
                var testCase = Case("campaign", f.Name, 0);
                testCase.Add(Failure(f));
                return testCase;
            }));
    }

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

    private static XElement Failure(GateFailure failure)
    {
        string text = failure.Details + (failure.Repro is null ? "" : "\n\nreproducer:\n" + failure.Repro);
        return new XElement("failure",
            new XAttribute("type", failure.Signature),
            new XAttribute("message", failure.Summary),
            new XText(text));
    }

    private static int Sum(string attribute, params XElement[] suites) =>
        suites.Sum(s => int.Parse((string)s.Attribute(attribute)!, CultureInfo.InvariantCulture));

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
