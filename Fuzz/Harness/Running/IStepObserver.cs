using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Told which step a <see cref="DifferentialRunner"/> is about to run, before either side sees it. A
/// supervisor watching a worker process from outside reads this to name the operation at fault when the
/// process dies or stops answering: the one place the runner reports progress, called once per step.
/// </summary>
public interface IStepObserver
{
    /// <summary>Step <paramref name="step"/> (1-based) at script line <paramref name="line"/> (0 for decoded inputs) is <paramref name="op"/>.</summary>
    void Starting(int step, int line, in Op op);
}
