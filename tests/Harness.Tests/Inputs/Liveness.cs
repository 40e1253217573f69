namespace P2M.Harness.Tests.Inputs;

/// <summary>
/// Runs a piece of work that must finish, failing the test instead of hanging it when it does not
/// (a FIFO that blocks, a walk that loops). The bound is generous: it guards liveness, not speed.
/// </summary>
internal static class Liveness
{
    /// <summary>The bound for work that should take well under a second.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The result of <paramref name="work"/>, which must finish within <see cref="Bound"/>.</summary>
    public static T Within<T>(Func<T> work, string what)
    {
        var task = Task.Factory.StartNew(work, TaskCreationOptions.LongRunning);
        Assert.True(task.Wait(Bound), $"{what} did not finish within {Bound.TotalSeconds} s");
        return task.Result;
    }
}
