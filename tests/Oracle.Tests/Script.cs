using P2M.Contract;

namespace P2M.Oracle.Tests;

/// <summary>
/// Operations written as the <c>.p2m</c> script writes them (plain numbers, no Gfn/Mfn wrapping),
/// and fresh oracles of either geometry, so each test reads like a small script.
/// </summary>
internal static class Script
{
    public static OracleP2M Mini() => new(P2MConfig.Default(Geometry.Mini));
    public static OracleP2M Real() => new(P2MConfig.Default(Geometry.Real));

    public static Op Map(ulong gfn, ulong mfn, ulong nr, P2MType type = P2MType.RamRw) =>
        Op.Map(new Gfn(gfn), new Mfn(mfn), nr, type);
    public static Op Unmap(ulong gfn, ulong nr) => Op.Unmap(new Gfn(gfn), nr);
    public static Op Retype(ulong gfn, ulong nr, P2MType from, P2MType to) => Op.Retype(new Gfn(gfn), nr, from, to);
    public static Op Identity(ulong start, ulong end) => Op.Identity(new Gfn(start), new Gfn(end));
    public static Op Foreign(ulong gfn, ulong mfn, bool readOnly = false) => Op.Foreign(new Gfn(gfn), new Mfn(mfn), readOnly);
    public static Op GrantSetup(ulong frames) => Op.GrantSetup(frames);
    public static Op GrantMap(ulong frame, ulong gfn) => Op.GrantMap(frame, new Gfn(gfn));
    public static Op Lookup(ulong gfn) => Op.Lookup(new Gfn(gfn));
    public static Op Translate(ulong gfn) => Op.Translate(new Gfn(gfn));

    /// <summary>Applies <paramref name="op"/> and checks it succeeded with <paramref name="done"/>.</summary>
    public static void Ok(OracleP2M oracle, Op op, ulong done = 0) =>
        Expect.Result(oracle.Apply(op), ResultCode.Ok, done);
}

/// <summary>The <c>expect</c> lines of a script, as assertions on exact values.</summary>
internal static class Expect
{
    public static void Result(OpResult result, ResultCode code, ulong done)
    {
        Assert.Equal(code, result.Code);
        Assert.Equal(done, result.Done);
    }

    /// <summary><c>expect gfn=G mfn=M type=T order=O [identity=1]</c></summary>
    public static void Frame(IP2M p2m, ulong gfn, ulong mfn, P2MType type, int order, bool identity = false) =>
        Assert.Equal((gfn, new FrameState(new Mfn(mfn), type, order, identity)), (gfn, p2m.Read(new Gfn(gfn))));

    /// <summary>Frames <paramref name="first"/>..<paramref name="last"/> (inclusive) map <c>mfn + (g - first)</c>.</summary>
    public static void Frames(IP2M p2m, ulong first, ulong last, ulong mfn, P2MType type, int order)
    {
        for (ulong g = first; g <= last; g++)
            Frame(p2m, g, mfn + (g - first), type, order);
    }

    /// <summary>Frames <paramref name="first"/>..<paramref name="last"/> (inclusive) are identity frames of <paramref name="type"/>.</summary>
    public static void IdentityFrames(IP2M p2m, ulong first, ulong last, P2MType type = P2MType.MmioDirectIo)
    {
        for (ulong g = first; g <= last; g++)
            Frame(p2m, g, g, type, 0, identity: true);
    }

    /// <summary><c>expect gfn=G unmapped</c> for <paramref name="first"/>..<paramref name="last"/> (inclusive).</summary>
    public static void Unmapped(IP2M p2m, ulong first, ulong? last = null)
    {
        for (ulong g = first; g <= (last ?? first); g++)
            Assert.Equal((g, FrameState.Unmapped), (g, p2m.Read(new Gfn(g))));
    }

    /// <summary><c>expect-refs mfn=M count=C</c></summary>
    public static void Refs(IP2M p2m, ulong mfn, int count) => Assert.Equal(count, p2m.References(new Mfn(mfn)));

    /// <summary><c>expect-grant frame=K gfn=G</c>; null for <c>gfn=invalid</c>.</summary>
    public static void Grant(IP2M p2m, int frame, ulong? gfn) =>
        Assert.Equal(gfn is { } g ? new Gfn(g) : Gfn.Invalid, p2m.GrantGfn(frame));

    /// <summary>Everything observable, to check that an operation changed nothing.</summary>
    public static string Snapshot(IP2M p2m) =>
        string.Join("; ", p2m.MappedRuns()) + " | "
        + string.Join(", ", p2m.HeldReferences()) + " | "
        + string.Join(", ", Enumerable.Range(0, p2m.GrantFrames).Select(p2m.GrantGfn));
}
