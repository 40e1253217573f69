using P2M.Contract;

namespace P2M.Oracle.Tests;

/// <summary>
/// Seeded random walks through the mini geometry, checking after every step what the model promises
/// about itself: every leaf is a whole aligned block of one type and order with contiguous MFNs,
/// identity frames are order 0 and map themselves, foreign and grant entries are 4K, references equal
/// the foreign entries, and every recorded grant GFN maps its grant frame. A split that lost a frame,
/// or a replace that forgot a reference, shows up here even where no hand-written test looked.
/// </summary>
public class InvariantWalkTests
{
    private static readonly P2MType[] Requestable =
    [
        P2MType.RamRw, P2MType.MmioDirectIo, P2MType.RamRo, P2MType.GrantMapRw, P2MType.MmioDirectNc,
    ];

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 24));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_walk_keeps_the_model_consistent(int seed)
    {
        var random = new Random(seed);
        var p2m = new OracleP2M(P2MConfig.Default(Geometry.Mini));
        for (int step = 0; step < 400; step++)
        {
            Op op = RandomOp(random);
            OpResult result = random.Next(8) == 0
                ? p2m.ApplyFailedAt(op, (ulong)random.Next(0, 80))
                : p2m.Apply(op);
            Assert.True(result.Code is ResultCode.Ok or ResultCode.Einval or ResultCode.Enomem or ResultCode.Ebusy);
            CheckConsistent(p2m, $"seed {seed} step {step}: {op.Kind}");
        }
    }

    private static Op RandomOp(Random random)
    {
        // GFNs cluster in [0, 0x180) so operations keep colliding; counts favour superpage sizes.
        ulong Gfn() => (ulong)random.Next(0, 0x180);
        ulong Nr() => random.Next(4) switch { 0 => 1, 1 => 8, 2 => 64, _ => (ulong)random.Next(0, 90) };
        ulong Mfn() => random.Next(3) switch { 0 => (ulong)random.Next(0, 16) * 64, 1 => (ulong)random.Next(0, 128) * 8, _ => (ulong)random.Next(0, 0x1000) };
        P2MType Type() => Requestable[random.Next(Requestable.Length)];

        switch (random.Next(10))
        {
            case 0:
            case 1: return Op.Map(new Gfn(Gfn()), new Mfn(Mfn()), Nr(), Type());
            case 2: return Op.Unmap(new Gfn(Gfn()), Nr());
            case 3: return Op.Retype(new Gfn(Gfn()), Nr(), Type(), Type());
            case 4: { ulong start = Gfn(); return Op.Identity(new Gfn(start), new Gfn(start + Nr())); }
            case 5: return Op.Foreign(new Gfn(Gfn()), new Mfn((ulong)random.Next(0, 8)), random.Next(2) == 0);
            case 6: return Op.GrantSetup((ulong)random.Next(0, 8));
            case 7: return Op.GrantMap((ulong)random.Next(0, 8), new Gfn(Gfn()));
            case 8: return random.Next(20) == 0 ? Op.Teardown() : Op.Lookup(new Gfn(Gfn()));
            default: return Op.Map(new Gfn(Gfn() & ~7UL), new Mfn(Mfn() & ~7UL), 8, Type());
        }
    }

    private static void CheckConsistent(OracleP2M p2m, string where)
    {
        Geometry geometry = p2m.Geometry;
        var foreignEntries = new Dictionary<ulong, int>();
        foreach (MappedRun run in p2m.MappedRuns())
        {
            for (ulong i = 0; i < run.Count; i++)
            {
                ulong gfn = run.Gfn.Value + i;
                FrameState frame = run.FrameAt(i);
                Assert.True(frame.Order is 0 || frame.Order == geometry.Order(1) || frame.Order == geometry.Order(2), where);
                if (frame.Identity)
                    Assert.True(frame.Order == 0 && frame.Mfn.Value == gfn, $"{where}: identity frame {gfn:x}");
                if (P2MTypes.IsForeign(frame.Type))
                {
                    Assert.Equal(0, frame.Order);
                    foreignEntries[frame.Mfn.Value] = foreignEntries.GetValueOrDefault(frame.Mfn.Value) + 1;
                }

                // The whole aligned leaf block is mapped alike, with MFNs that advance with the GFNs.
                ulong size = 1UL << frame.Order;
                ulong leafStart = gfn & ~(size - 1);
                ulong mfnStart = frame.Mfn.Value - (gfn - leafStart);
                Assert.True(mfnStart % size == 0, $"{where}: leaf at {leafStart:x} maps unaligned MFN {mfnStart:x}");
                for (ulong g = leafStart; g < leafStart + size; g++)
                {
                    Assert.Equal(
                        (g, new FrameState(new Mfn(mfnStart + (g - leafStart)), frame.Type, frame.Order, frame.Identity)),
                        (g, p2m.Read(new Gfn(g))));
                }
            }
        }

        Assert.Equal(
            foreignEntries.OrderBy(e => e.Key).Select(e => new KeyValuePair<Mfn, int>(new Mfn(e.Key), e.Value)),
            p2m.HeldReferences());

        for (int k = 0; k < p2m.GrantFrames; k++)
        {
            Gfn gfn = p2m.GrantGfn(k);
            if (!gfn.IsValid)
                continue;
            FrameState frame = p2m.Read(gfn);
            Assert.True(frame.Mfn == geometry.GrantBase + (ulong)k && frame.Order == 0 && !frame.Identity,
                $"{where}: grant frame {k} recorded at {gfn} which maps {frame}");
        }
    }
}
