using System.CommandLine;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Engines;
using P2M.Fuzz.Running;
using SharpFuzz;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz libfuzzer</c>: the .NET side of a libFuzzer campaign, started by the native driver
/// (<c>Fuzz/native/p2m_fuzzer</c>) and spoken to through SharpFuzz's <see cref="Fuzzer.LibFuzzer"/> protocol.
/// Each input is decoded and run engine against oracle; its probe counters go to the driver beside the IL
/// edges. A failing input is minimised and written as <c>&lt;artifact&gt;.p2m</c> beside the
/// <c>crash-&lt;sha1&gt;</c> libFuzzer writes, then reported as a crash.
/// </summary>
internal static class LibFuzzerCommand
{
    /// <summary>The variable SharpFuzz's libFuzzer protocol reads its shared memory id from: set only by a driver.</summary>
    private const string DriverVariable = "__LIBFUZZER_SHM_ID";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new ExternalTargetOptions(CoverageMode.Both);
        var command = new Command("libfuzzer",
            "The .NET side of libFuzzer, run by the native driver (Fuzz/native/p2m_fuzzer; ./run-fuzz.sh libfuzzer [libFuzzer flags]). " +
            "Writes <artifact>.p2m, minimised, beside each crash libFuzzer writes.");
        target.AddTo(command);
        command.SetAction(parse => Run(parse, target, error));
        return command;
    }

    private static int Run(ParseResult parse, ExternalTargetOptions options, TextWriter error)
    {
        if (Environment.GetEnvironmentVariable(DriverVariable) is null)
        {
            error.WriteLine("p2mfuzz libfuzzer: runs under the native libFuzzer driver: ./run-fuzz.sh libfuzzer [libFuzzer flags] " +
                            "(to run one input, p2mfuzz triage FILE)");
            return P2MFuzzCommandLine.Usage;
        }
        ExternalTarget? target = options.Resolve(parse, error, out _);
        if (target is null) return P2MFuzzCommandLine.Usage;

        // A restart after the previous side died on an input: its repro first, as that side never could.
        if (DeathReport.FromEnvironment() is { } death)
            error.WriteLine($"p2mfuzz: the .NET side {death.Detail}: the input's repro is {death.WriteRepro()}");

        using SemanticCounters? counters = SemanticCounters.FromEnvironment();
        Fuzzer.LibFuzzer.Run(data =>
        {
            Verdict verdict = target.Run(data, out var input);
            counters?.Publish(target.Map);
            if (verdict.IsPass) return;
            string artifact = ArtifactName.FromEnvironment(data, "crash");
            string repro = artifact + ".p2m";
            var minimized = target.WriteRepro(repro, input, verdict, source: artifact);
            error.WriteLine($"p2mfuzz: {verdict.Signature}: {minimized.Summary}; repro {repro}");
            throw new FindingException(verdict, repro);
        });
        return P2MFuzzCommandLine.Failure;
    }
}
