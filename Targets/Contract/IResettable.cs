namespace P2M.Contract;

/// <summary>
/// Implemented by an implementation that can return to the state it was built in, so a campaign reuses one
/// instance per worker instead of building one per input (the pool, tables and dictionaries keep their
/// capacity). After <see cref="Reset"/> the instance must be indistinguishable from a new one built with the
/// same configuration: every read, every result of every later operation. Implementations that cannot promise
/// that do not implement it, and the runner builds a new instance per input for them.
/// </summary>
public interface IResettable
{
    /// <summary>Returns to the freshly built state: nothing mapped, no references, no grant frames, empty statistics.</summary>
    void Reset();
}
