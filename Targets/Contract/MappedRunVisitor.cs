namespace P2M.Contract;

/// <summary>Receives the runs of <see cref="IP2M.VisitMappedRuns"/>, one at a time.</summary>
public interface IMappedRunVisitor
{
    /// <summary>Takes the next run; false to stop the walk there.</summary>
    bool Visit(in MappedRun run);
}
