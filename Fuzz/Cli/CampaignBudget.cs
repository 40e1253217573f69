using System.CommandLine;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The options that bound and seed a campaign, shared by <c>fuzz</c> and <c>gate</c> so both
/// check them the same way: a positive time, a run count of 0 or more, at least one job, and
/// one budget at most (a run count keeps a verdict reproducible, a time bound does not).
/// </summary>
internal sealed class CampaignBudget
{
    /// <summary>The four options, with the defaults and descriptions of the command they serve.</summary>
    public CampaignBudget(string timeDescription, string runsDescription, ulong defaultSeed)
    {
        Time = new Option<double?>("--time") { Description = timeDescription };
        Runs = new Option<long?>("--runs") { Description = runsDescription };
        Seed = new Option<ulong>("--seed") { Description = "Base seed (worker k derives its own from it).", DefaultValueFactory = _ => defaultSeed };
        Jobs = new Option<int>("--jobs") { Description = "Workers, one thread each.", DefaultValueFactory = _ => 1 };
        Time.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is not > 0)
                result.AddError("--time must be a positive number of seconds");
        });
        Runs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is < 0)
                result.AddError("--runs must be at least 0");
        });
        Jobs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError("--jobs must be at least 1");
        });
    }

    /// <summary><c>--time SECONDS</c></summary>
    public Option<double?> Time { get; }

    /// <summary><c>--runs N</c></summary>
    public Option<long?> Runs { get; }

    /// <summary><c>--seed N</c></summary>
    public Option<ulong> Seed { get; }

    /// <summary><c>--jobs N</c></summary>
    public Option<int> Jobs { get; }

    /// <summary>Adds the options to <paramref name="command"/>, with the one-budget check.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Time, Runs, Seed, Jobs }) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Time) is { Implicit: false } && result.GetResult(Runs) is { Implicit: false })
                result.AddError("--time and --runs cannot be used together");
        });
    }
}
