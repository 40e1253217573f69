using System.Text.Json.Nodes;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Implementations;
using P2M.Fuzz.Inputs;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// The child side of a <see cref="SupervisedExecutor"/>, AFL++'s persistent mode: builds the implementation
/// once, then runs one input per request from standard input, marking each on its status page before it
/// runs and answering with its verdict, until standard input closes. What the input does to the process
/// (a hang, a crash, too much memory) is for the supervisor to see and judge.
/// </summary>
public static class ExecServer
{
    /// <summary>Serves the plan at <paramref name="planPath"/>; returns the process's exit code.</summary>
    public static int Run(string planPath)
    {
        using IDisposable signals = ChildSignals.Ignore();
        MessageChannel messages = MessageChannel.OverStandardOutput();
        ChildPlan plan = ChildPlan.Read(planPath);
        using StatusPage page = StatusPage.Open(plan.StatusPage);

        ImplementationsRunner runner;
        string name;
        try
        {
            ImplementationSpec implementation = ImplementationSpec.Parse(plan.Implementation);
            name = implementation.ResolveName();
            runner = new ImplementationsRunner(implementation) { Observer = page };
        }
        catch (ImplementationException e)
        {
            messages.Send(new JsonObject { ["t"] = "load-error", ["message"] = e.Message });
            return 2;
        }
        messages.Send(new JsonObject { ["t"] = "ready", ["name"] = name });

        page.State = ChildState.Waiting;
        while (Console.In.ReadLine() is { } line)
        {
            var request = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("exec: a request that is not an object");
            long id = (long?)request["id"] ?? 0;
            // The supervisor read the input within its limits and printed it: the text is bounded already.
            Script script = ScriptParser.Parse((string?)request["text"] ?? "", (string?)request["path"] ?? "input", InputLimits.None);
            page.BeginInput();
            page.State = ChildState.Running;
            Verdict verdict = (bool?)request["bare"] == true ? runner.Run(FuzzInput.FromScript(script)) : runner.Run(script);
            page.State = ChildState.Waiting;
            messages.Send(new JsonObject { ["t"] = "verdict", ["id"] = id, ["verdict"] = VerdictWire.ToJson(verdict) });
            // Out of memory leaves the process holding what it could not free: start afresh.
            if (verdict.Kind == VerdictKind.Oom) return 0;
        }
        return 0;
    }
}
