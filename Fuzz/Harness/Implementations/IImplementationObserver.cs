namespace P2M.Fuzz.Implementations;

/// <summary>
/// Told which of several implementations an <see cref="ImplementationsRunner"/> is about to run an input
/// through, so that a supervisor can name the one running when the process died or stopped answering.
/// </summary>
public interface IImplementationObserver
{
    /// <summary>The implementation at <paramref name="member"/> (0-based, in the order given) runs next.</summary>
    void Running(int member);
}
