using System.CommandLine;
using P2M.Fuzz.Supervision;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The hidden commands a supervisor starts its children with: <c>_exec PLAN</c> (run inputs on request)
/// and <c>_worker PLAN</c> (a campaign's fuzz worker). Not for people: the plan file says everything.
/// </summary>
internal static class ChildCommands
{
    /// <summary>Both hidden commands.</summary>
    public static IEnumerable<Command> Create()
    {
        yield return Hidden("_exec", "A supervised executor (started by p2mfuzz itself).", ExecServer.Run);
        yield return Hidden("_worker", "A supervised fuzz worker (started by p2mfuzz itself).", WorkerChild.Run);
    }

    private static Command Hidden(string name, string description, Func<string, int> run)
    {
        var plan = new Argument<string>("plan");
        var command = new Command(name, description) { Hidden = true };
        command.Arguments.Add(plan);
        command.SetAction(parse => run(parse.GetValue(plan)!));
        return command;
    }
}
