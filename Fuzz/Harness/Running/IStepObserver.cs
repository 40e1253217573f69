using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Told which step a <see cref="DifferentialRunner"/> is about to run, before either side sees it. A
/// supervisor watching a worker process from outside reads this to name the operation at fault when the
/// process dies or stops answering: the one place the runner reports progress, called once per step.
/// When a run fails and is run again from step 1 to locate the failure, the observer is told about
/// those steps too, so the last step it was told is always the one running, and at the end the one the
/// verdict names.
/// </summary>
public interface IStepObserver
{
    /// <summary>Step <paramref name="step"/> (1-based) at script line <paramref name="line"/> (0 for decoded inputs) is <paramref name="op"/>.</summary>
    void Starting(int step, int line, in Op op);
}
