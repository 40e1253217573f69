namespace P2M.Contract;

/// <summary>
/// The result of one operation: its code, for range operations the frames completed, and for
/// <c>lookup</c>/<c>translate</c> the frame's state (<see cref="FrameState.Unmapped"/> otherwise).
/// </summary>
public readonly record struct OpResult(ResultCode Code, ulong Done, FrameState Frame)
{
    /// <summary>A plain result with no frame.</summary>
    public static OpResult Of(ResultCode code, ulong done = 0) => new(code, done, FrameState.Unmapped);

    /// <summary>Script-format rendering: <c>ok done=8</c>, or the frame for a lookup.</summary>
    public override string ToString() => $"{ResultCodes.Name(Code)} done={Done}" + (Frame.IsMapped ? $" {Frame}" : "");
}
