using P2M.Contract;

namespace P2M.Oracle.Tests;

/// <summary>
/// <see cref="OracleP2M.Reset"/> must leave an oracle indistinguishable from a new one: a campaign reuses one
/// instance for every input, so anything Reset forgets to forget would leak from one input into the next.
/// Each case dirties an oracle with a random stream, resets it, then runs a second random stream on it and
/// on a fresh oracle side by side: every result and, after every step, the whole state must be the same.
/// </summary>
public class ResetTests
{
    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (string geometry in new[] { "mini", "real" })
            for (int seed = 1; seed <= 12; seed++)
                cases.Add(geometry, seed);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reset_is_a_fresh_instance(string geometryName, int seed)
    {
        Assert.True(Geometry.TryParse(geometryName, out Geometry geometry));
        var config = P2MConfig.Default(geometry);
        var random = new Random(seed);
        var reused = new OracleP2M(config);
        Op[] dirt = RandomOps(random, geometry, 60);
        foreach (Op op in dirt)
            reused.Apply(op);
        Assert.True(reused.MappedRuns().Any() || reused.GrantFrames > 0 || dirt.All(op => op.Kind == OpKind.Teardown),
            "the first stream left something to forget");

        reused.Reset();
        var fresh = new OracleP2M(config);
        AssertSameState(fresh, reused, "after Reset");

        Op[] ops = RandomOps(random, geometry, 60);
        for (int i = 0; i < ops.Length; i++)
        {
            Assert.Equal(fresh.Apply(ops[i]), reused.Apply(ops[i]));
            AssertSameState(fresh, reused, $"after step {i + 1}, {ops[i]}");
        }
    }

    [Fact]
    public void Reset_forgets_foreign_references_and_grant_frames()
    {
        OracleP2M oracle = Script.Mini();
        Script.Ok(oracle, Script.Foreign(5, 0x40));
        Script.Ok(oracle, Script.GrantSetup(2));
        Script.Ok(oracle, Script.GrantMap(1, 9));

        oracle.Reset();

        Assert.Equal(0, oracle.References(new Mfn(0x40)));
        Assert.Empty(oracle.HeldReferences());
        Assert.Equal(0, oracle.GrantFrames);
        Assert.Empty(oracle.MappedRuns());
        // A grant frame index that existed before is out of range again.
        Expect.Result(oracle.Apply(Script.GrantMap(0, 9)), ResultCode.Einval, 0);
    }

    private static void AssertSameState(OracleP2M expected, OracleP2M actual, string when)
    {
        Assert.True(expected.MappedRuns().SequenceEqual(actual.MappedRuns()), $"mapped frames differ {when}");
        Assert.True(expected.HeldReferences().SequenceEqual(actual.HeldReferences()), $"references differ {when}");
        Assert.Equal(expected.GrantFrames, actual.GrantFrames);
        for (int frame = 0; frame <= expected.GrantFrames; frame++)
            Assert.Equal(expected.GrantGfn(frame), actual.GrantGfn(frame));
    }

    /// <summary>
    /// Operations that collide: frame numbers near a few leaf boundaries, counts from one frame to a few
    /// leaves, MFNs in a small window so that foreign entries share frames and grant frames get hit.
    /// </summary>
    private static Op[] RandomOps(Random random, Geometry geometry, int count)
    {
        ulong leaf = (ulong)geometry.EntriesPerPage;
        ulong Gfn() => (ulong)random.Next(4) * leaf * leaf + (ulong)random.Next((int)(3 * leaf));
        ulong Mfn() => random.Next(8) == 0
            ? geometry.GrantBase.Value + (ulong)random.Next(4)
            : (ulong)random.Next((int)(4 * leaf));
        ulong Nr() => random.Next(3) switch { 0 => 1, 1 => (ulong)random.Next(1, (int)leaf + 2), _ => leaf * (ulong)random.Next(1, 3) };
        P2MType Type() => random.Next(4) switch { 0 => P2MType.RamRw, 1 => P2MType.RamRo, 2 => P2MType.MmioDirectIo, _ => P2MType.IommuMapRw };

        var ops = new Op[count];
        for (int i = 0; i < count; i++)
        {
            ops[i] = random.Next(12) switch
            {
                0 or 1 or 2 => Op.Map(new Gfn(Gfn()), new Mfn(Mfn()), Nr(), Type()),
                3 => Op.Unmap(new Gfn(Gfn()), Nr()),
                4 => Op.Retype(new Gfn(Gfn()), Nr(), Type(), Type()),
                5 => Identity(Gfn(), Nr()),
                6 or 7 => Op.Foreign(new Gfn(Gfn()), new Mfn(Mfn()), random.Next(2) == 0),
                8 => Op.GrantSetup((ulong)random.Next(1, 5)),
                9 => Op.GrantMap((ulong)random.Next(4), new Gfn(Gfn())),
                10 => Op.Lookup(new Gfn(Gfn())),
                _ => random.Next(6) == 0 ? Op.Teardown() : Op.Unmap(new Gfn(Gfn()), 1),
            };
        }
        return ops;
    }

    private static Op Identity(ulong start, ulong nr) => Op.Identity(new Gfn(start), new Gfn(start + nr));
}
