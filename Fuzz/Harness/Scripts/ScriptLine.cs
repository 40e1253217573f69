using P2M.Contract;

namespace P2M.Fuzz.Scripts;

/// <summary>One meaningful line of a <c>.p2m</c> script: an operation or an expectation.</summary>
/// <param name="Line">1-based line number in the source file (0 for scripts built in memory).</param>
public abstract record ScriptLine(int Line);

/// <summary>An operation line, run through every implementation.</summary>
public sealed record OpLine(int Line, Op Op) : ScriptLine(Line);

/// <summary>
/// <c>expect gfn=G mfn=M type=T order=O [identity=1]</c>, or <c>expect gfn=G unmapped</c> when
/// <paramref name="State"/> is <see cref="FrameState.Unmapped"/>.
/// </summary>
public sealed record ExpectFrame(int Line, Gfn Gfn, FrameState State) : ScriptLine(Line);

/// <summary><c>expect-rc CODE [done=N]</c>: the result of the operation just before it.</summary>
public sealed record ExpectRc(int Line, ResultCode Code, ulong? Done) : ScriptLine(Line);

/// <summary><c>expect-refs mfn=M count=C</c></summary>
public sealed record ExpectRefs(int Line, Mfn Mfn, int Count) : ScriptLine(Line);

/// <summary><c>expect-grant frame=K gfn=G</c> or <c>gfn=invalid</c> (<see cref="Gfn.Invalid"/>).</summary>
public sealed record ExpectGrant(int Line, ulong Frame, Gfn Gfn) : ScriptLine(Line);
