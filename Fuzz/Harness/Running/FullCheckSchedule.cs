using P2M.Contract;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Running;

/// <summary>
/// When the runner's full checks run: each self-checking side's full audit (<see cref="AuditScope.Full"/>,
/// every table walked) and the whole-state comparison. Both cost as much as the state is large, whatever
/// the step did, so running them after every step, or every N steps, makes a script's checks cost the
/// square of its length. They run together once the work done since the last ones reaches
/// <see cref="WorkPerCost"/> times what the last ones cost, and at least <see cref="MinimumWork"/>; then
/// the total cost of all of them stays within a fraction of the work done plus one last check, whatever
/// the script. They also run after every <c>teardown</c> and at the end of a run. Work is one unit per step plus the frames the step's operation names (counted by
/// <see cref="OpFrames"/>); a check costs one unit per entry the whole-state comparison read (frames and
/// held references, both sides) and per table page the full audits visited.
/// </summary>
/// <remarks>
/// A failing run is run again to find the first failing step (<see cref="Locating"/>). That pass makes
/// the same decisions as the first up to the last step whose full checks passed, so both sides see the
/// same calls as before, and from the step after it runs the full audit after every step, and the
/// whole-state comparison too when it is the check being located.
/// </remarks>
internal struct FullCheckSchedule
{
    /// <summary>
    /// Least work between two scheduled full checks: on a small state a check costs little, but not
    /// nothing (enumerators, the model's sorting), about what 64 one-frame steps do.
    /// </summary>
    public const long MinimumWork = 64;

    /// <summary>
    /// Work per unit of the last full checks' cost before the next are due. A unit of either is about as
    /// dear (a frame applied and compared by both sides, a frame or page read by a full check), so the
    /// full checks cost at most a quarter of what the steps do; a failure found later costs nothing in
    /// precision, since it is located by a second run.
    /// </summary>
    public const long WorkPerCost = 4;

    private readonly int _denseFrom;
    private readonly bool _denseWholeState;
    private long _workSinceCheck;
    private long _workDue;

    private FullCheckSchedule(int denseFrom, bool denseWholeState)
    {
        _denseFrom = denseFrom;
        _denseWholeState = denseWholeState;
        _workSinceCheck = 0;
        _workDue = MinimumWork;
        LastPassed = 0;
    }

    /// <summary>The schedule of a first run: full checks when the work since the last ones reaches their cost.</summary>
    public static FullCheckSchedule Amortised => new(int.MaxValue, denseWholeState: false);

    /// <summary>
    /// The schedule of a run that locates a failure: as <see cref="Amortised"/> through step
    /// <paramref name="lastPassed"/>, then the full audit after every step, and the whole-state comparison
    /// after every step when <paramref name="wholeState"/> (it is what failed), never otherwise (it did not
    /// run between <paramref name="lastPassed"/> and the failure).
    /// </summary>
    public static FullCheckSchedule Locating(int lastPassed, bool wholeState) => new(lastPassed + 1, wholeState);

    /// <summary>True when the full checks run after every step from some step on.</summary>
    public readonly bool IsLocating => _denseFrom != int.MaxValue;

    /// <summary>The last step after which the full checks ran and passed; 0 before any.</summary>
    public int LastPassed { get; private set; }

    /// <summary>Counts the work of <paramref name="op"/>, the step just run.</summary>
    public void Worked(in Op op, Geometry geometry) =>
        _workSinceCheck += 1 + (long)OpFrames.Of(op, geometry); // frames are at most 2^20 a step: no overflow

    /// <summary>Whether the full audit runs after step <paramref name="step"/>, which ran <paramref name="kind"/>.</summary>
    public readonly bool AuditDue(int step, OpKind kind) => step >= _denseFrom || Scheduled(kind);

    /// <summary>Whether the whole-state comparison runs after step <paramref name="step"/>, which ran <paramref name="kind"/>.</summary>
    public readonly bool WholeStateDue(int step, OpKind kind) => step >= _denseFrom ? _denseWholeState : Scheduled(kind);

    /// <summary>Whether the run's last step left full checks to do: the end of a run always has them.</summary>
    public readonly bool FinishDue(int steps) => LastPassed != steps || steps == 0;

    /// <summary>Both full checks passed after step <paramref name="step"/>, costing <paramref name="cost"/> units.</summary>
    public void Passed(int step, long cost)
    {
        LastPassed = step;
        _workSinceCheck = 0;
        _workDue = cost >= long.MaxValue / WorkPerCost ? long.MaxValue : Math.Max(cost * WorkPerCost, MinimumWork);
    }

    private readonly bool Scheduled(OpKind kind) => kind == OpKind.Teardown || _workSinceCheck >= _workDue;
}
