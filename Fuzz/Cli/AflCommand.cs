using System.CommandLine;
using P2M.Coverage;
using P2M.EdgeCoverage;
using P2M.Fuzz.Campaigns;
using P2M.Fuzz.Engines;
using P2M.Fuzz.Running;
using SharpFuzz;

namespace P2M.Fuzz.Cli;

/// <summary>
/// <c>p2mfuzz afl</c>: the target of an AFL++ campaign, through SharpFuzz's <see cref="Fuzzer.OutOfProcess"/>
/// fork server: the process afl-fuzz starts serves the fork-server protocol and runs inputs in a child
/// .NET process it restarts whenever that child dies or is killed for a timeout, so a crashing or hanging
/// implementation costs a restart, not the campaign. Each input (standard input) is decoded and run engine
/// against oracle; a failing one is reported as a crash, for <c>p2mfuzz triage</c> to minimise into a <c>.p2m</c>.
/// </summary>
internal static class AflCommand
{
    /// <summary>AFL++'s map size variable: when it leaves room after the IL edges, the probes are written there too.</summary>
    private const string MapSizeVariable = "AFL_MAP_SIZE";

    /// <summary>Most input bytes read: more than any decodable input uses (the codec stops at its operation limit).</summary>
    private const int MaxInput = 1 << 20;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new ExternalTargetOptions(CoverageMode.Both);
        var command = new Command("afl",
            "The AFL++ target (afl-fuzz ... -- dotnet p2mfuzz.dll afl; ./run-fuzz.sh afl [seconds]). Reads one input on standard " +
            "input; outside afl-fuzz it runs it once and exits 1 if it fails. Set AFL_MAP_SIZE=" + (EdgeMap.Size + CoverageMap.Size) +
            " to give AFL the engine's probes beside the IL edges.");
        target.AddTo(command);
        command.SetAction(parse => Run(parse, target, error));
        return command;
    }

    private static int Run(ParseResult parse, ExternalTargetOptions options, TextWriter error)
    {
        ExternalTarget? target = options.Resolve(parse, error, out CoverageMode coverage);
        if (target is null) return P2MFuzzCommandLine.Usage;
        // Only into a segment AFL sized for them: outside afl-fuzz SharpFuzz's map is exactly the edges.
        bool probesToAfl = coverage.ReadsProbes() && Environment.GetEnvironmentVariable("__AFL_SHM_ID") is not null &&
                           int.TryParse(Environment.GetEnvironmentVariable(MapSizeVariable), out int mapSize) &&
                           mapSize >= EdgeMap.Size + CoverageMap.Size;
        byte[] buffer = new byte[MaxInput];
        Verdict last = Verdict.Pass(0);
        try
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                int length = ReadAll(stream, buffer);
                last = target.Run(buffer.AsSpan(0, length), out _);
                if (probesToAfl) EdgeMap.WriteAfter(target.Map.Counters);
                if (!last.IsPass) throw new FindingException(last, repro: null);
            });
        }
        catch (FindingException)
        {
            // Outside afl-fuzz SharpFuzz lets the action's exception out: the one run failed.
        }
        // Only reached outside afl-fuzz, after the one run.
        if (last.IsPass) return P2MFuzzCommandLine.Pass;
        error.WriteLine($"p2mfuzz afl: {last.Signature}: {last}");
        return P2MFuzzCommandLine.Failure;
    }

    private static int ReadAll(Stream stream, byte[] buffer)
    {
        int length = 0;
        while (length < buffer.Length)
        {
            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0) break;
            length += read;
        }
        return length;
    }
}
