namespace P2M.Fuzz.Gate;

/// <summary>Which half of the gate a failure comes from.</summary>
public enum GateStage
{
    /// <summary>A committed script of the corpus or crashes directory failed.</summary>
    Replay,

    /// <summary>The bounded campaign found a new failing input.</summary>
    Campaign,
}
