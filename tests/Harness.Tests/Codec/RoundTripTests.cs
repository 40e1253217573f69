using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Harness.Tests.Codec;

/// <summary>Encode writes what Decode reads: every input within the folds comes back the same.</summary>
public class RoundTripTests
{
    [Property(MaxTest = 1000, Replay = CodecGen.Replay)]
    public Property Inputs_within_the_folds_round_trip()
    {
        return Prop.ForAll(Arb.From(CodecGen.AnyInputs), input =>
        {
            byte[] bytes = OpCodec.Encode(input);
            FuzzInput back = OpCodec.Decode(bytes, out int used);
            return back == input && used == bytes.Length;
        });
    }

    [Property(MaxTest = 300, Replay = CodecGen.Replay)]
    public Property Inputs_round_trip_under_any_limits()
    {
        var gen = CodecGen.Limits.SelectMany(l => Gen.Elements(Geometry.Mini, Geometry.Real), (l, g) => (l, g))
            .SelectMany(x => CodecGen.Inputs(x.g, x.l), (x, input) => (x.l, input));
        return Prop.ForAll(Arb.From(gen), x =>
            OpCodec.Decode(OpCodec.Encode(x.input, x.l), x.l) == x.input);
    }

    [Property(MaxTest = 1000, Replay = CodecGen.Replay)]
    public Property Every_decoded_input_encodes_and_reads_back_the_same()
    {
        return Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
        {
            FuzzInput input = OpCodec.Decode(bytes);
            return OpCodec.Decode(OpCodec.Encode(input)) == input;
        });
    }

    [Theory]
    [InlineData("mini")]
    [InlineData("real")]
    public void Every_kind_round_trips_alone(string geometryName)
    {
        Assert.True(Geometry.TryParse(geometryName, out Geometry g));
        Op[] ops =
        [
            Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw),
            Op.Unmap(new Gfn(0x45), 1),
            Op.Retype(new Gfn(0x48), 8, P2MType.RamRw, P2MType.RamRo),
            Op.Identity(new Gfn(0x100), new Gfn(0x118)),
            Op.Foreign(new Gfn(0x300), new Mfn(0x77), readOnly: true),
            Op.Foreign(new Gfn(0x301), new Mfn(0x78), readOnly: false),
            Op.GrantSetup(4),
            Op.GrantMap(2, new Gfn(0x310)),
            Op.Lookup(new Gfn(0x40)),
            Op.Translate(new Gfn(0x41)),
            Op.FailAllocs(1),
            Op.DirectMap(false),
            Op.DirectMap(true),
            Op.Teardown(),
        ];
        Assert.Equal(OpRecordsKinds, ops.Select(op => op.Kind).Distinct().Count());
        foreach (Op op in ops)
        {
            var input = new FuzzInput(g, null, [op]);
            Assert.Equal(input, OpCodec.Decode(OpCodec.Encode(input)));
        }
        var all = new FuzzInput(g, g.DefaultPoolPages, ops);
        Assert.Equal(all, OpCodec.Decode(OpCodec.Encode(all)));
    }

    private const int OpRecordsKinds = 12;

    /// <summary>The argument checks' edge values, one each: all expressible, so fuzzing reaches every EINVAL path.</summary>
    [Theory]
    [InlineData("mini")]
    [InlineData("real")]
    public void Edge_values_are_expressible(string geometryName)
    {
        Assert.True(Geometry.TryParse(geometryName, out Geometry g));
        var gfnLimit = new Gfn(g.GfnLimit);
        var lastGfn = new Gfn(g.GfnLimit - 1);
        var top = new Gfn(ulong.MaxValue);
        ulong e = (ulong)g.EntriesPerPage, max = g.MaxRangeFrames;
        Op[] ops =
        [
            Op.Map(gfnLimit, new Mfn(0), 1, P2MType.RamRw),                        // GFN = limit
            Op.Map(lastGfn, new Mfn(0), 2, P2MType.RamRw),                         // gfn + nr = limit + 1
            Op.Map(top, new Mfn(0), 2, P2MType.RamRw),                             // gfn + nr wraps
            Op.Map(new Gfn(0), new Mfn(g.MfnLimit), 1, P2MType.RamRw),            // MFN = limit
            Op.Map(new Gfn(0), new Mfn(ulong.MaxValue), 1, P2MType.RamRw),
            Op.Map(new Gfn(0), g.GrantBase, 1, P2MType.RamRw),                    // the grant window
            Op.Map(new Gfn(0), new Mfn(g.MfnLimit - 1), 1, P2MType.RamRw),
            Op.Map(new Gfn(0), new Mfn(0), g.MaxRangeFrames + 1, P2MType.RamRw),  // nr = max + 1
            Op.Map(new Gfn(0), new Mfn(0), ulong.MaxValue, P2MType.RamRw),
            Op.Map(new Gfn(0), new Mfn(0), max, P2MType.RamRw),                   // the whole range
            Op.Unmap(new Gfn(0), max - 1),
            Op.Map(new Gfn(0), new Mfn(0), e * e, P2MType.RamRw),                 // the largest leaf
            Op.Retype(new Gfn(0), e * e - 1, P2MType.RamRw, P2MType.RamRo),
            Op.Identity(new Gfn(0), new Gfn(e * e + 1)),
            Op.Unmap(new Gfn(0), e + 1),
            Op.Map(new Gfn(0), new Mfn(0), 0, P2MType.RamRw),
            Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.Invalid),
            Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.ExtStorage),
            Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.MapForeignRw),
            Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.MapForeignRo),
            Op.Retype(new Gfn(0), 8, P2MType.Invalid, P2MType.MapForeignRo),
            Op.Unmap(gfnLimit, 0),
            Op.Identity(new Gfn(0x10), new Gfn(0xf)),                               // end < start
            Op.Identity(lastGfn, gfnLimit),                                          // end = limit: valid
            Op.Identity(lastGfn, gfnLimit + 1),
            Op.Identity(gfnLimit, gfnLimit),
            Op.Foreign(gfnLimit, new Mfn(1), readOnly: false),
            Op.Foreign(new Gfn(1), new Mfn(g.MfnLimit - 1), readOnly: true),
            Op.GrantSetup((ulong)g.MaxGrantFrames),
            Op.GrantSetup((ulong)g.MaxGrantFrames + 1),                             // above the maximum
            Op.GrantMap((ulong)g.MaxGrantFrames, new Gfn(0)),                       // never created
            Op.GrantMap(ulong.MaxValue, new Gfn(0)),
            Op.GrantMap(0, gfnLimit),
            Op.Lookup(gfnLimit),
            Op.Translate(top),
            Op.FailAllocs(0),
            Op.FailAllocs((ulong)CodecLimits.DefaultMaxFailAllocs),
        ];
        var input = new FuzzInput(g, Geometry.RootPages, ops);
        Assert.Equal(input, OpCodec.Decode(OpCodec.Encode(input)));
    }

    [Theory]
    [MemberData(nameof(Unexpressible))]
    public void Values_outside_the_folds_are_rejected_not_clamped(string why, FuzzInput input, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => OpCodec.Encode(input));
        Assert.Contains(key, e.Message);
        Assert.False(string.IsNullOrEmpty(why));
    }

    public static TheoryData<string, FuzzInput, string> Unexpressible()
    {
        Geometry mini = Geometry.Mini, real = Geometry.Real;
        FuzzInput One(Geometry g, Op op) => new(g, null, [op]);
        return new TheoryData<string, FuzzInput, string>
        {
            { "nr two past the largest range", One(mini, Op.Unmap(new Gfn(0), 258)), "nr=258" },
            { "nr two past the largest real range", One(real, Op.Map(new Gfn(0), new Mfn(0), (1UL << 20) + 2, P2MType.RamRw)), "nr=1048578" },
            { "nr far over the maximum", One(real, Op.Retype(new Gfn(0), 1UL << 32, P2MType.RamRw, P2MType.RamRo)), "nr=4294967296" },
            { "GFN far past the space", One(mini, Op.Lookup(new Gfn(1UL << 40))), "gfn=0x10000000000" },
            { "MFN between the folds", One(real, Op.Foreign(new Gfn(0), new Mfn(1UL << 50), false)), "mfn=" },
            { "identity too long", One(mini, Op.Identity(new Gfn(0), new Gfn(0x300))), "end - start" },
            { "identity far backwards", One(mini, Op.Identity(new Gfn(0x10), new Gfn(0x8))), "end - start" },
            { "grant-setup above max + 1", One(mini, Op.GrantSetup(34)), "frames=34" },
            { "grant-map frame past max", One(real, Op.GrantMap(257, new Gfn(0))), "frame=257" },
            { "fail-allocs above the limit", One(mini, Op.FailAllocs(8)), "n=8" },
            { "undefined type code", One(mini, Op.Map(new Gfn(0), new Mfn(0), 1, (P2MType)13)), "type=type13" },
            { "pool above the default", new FuzzInput(mini, 1025, []), "pool pages=1025" },
            { "pool below the root", new FuzzInput(mini, 3, []), "pool pages=3" },
        };
    }

    [Fact]
    public void The_error_names_the_operation()
    {
        var input = new FuzzInput(Geometry.Mini, null, [Op.Teardown(), Op.Unmap(new Gfn(0x40), 300)]);
        var e = Assert.Throws<ArgumentException>(() => OpCodec.Encode(input));
        Assert.StartsWith("op 1 (unmap gfn=0x40 nr=300): nr=300", e.Message);
    }

    [Fact]
    public void More_operations_or_frames_than_the_limits_decode_are_refused()
    {
        var tooLong = new FuzzInput(Geometry.Mini, null, Enumerable.Repeat(Op.Teardown(), 129).ToArray());
        Assert.Contains("129 operations", Assert.Throws<ArgumentException>(() => OpCodec.Encode(tooLong, CodecLimits.Fuzz)).Message);
        Assert.Equal(tooLong, OpCodec.Decode(OpCodec.Encode(tooLong)));

        // Two 1G chunks and eight leaf tables fit the fuzzing budget; one frame more does not.
        Op chunk = Op.Map(new Gfn(0), new Mfn(0), 1UL << 18, P2MType.RamRw);
        var atBudget = new FuzzInput(Geometry.Real, null, [chunk, chunk, Op.Unmap(new Gfn(0), 4096), Op.Unmap(new Gfn(0), (1UL << 20) + 1)]);
        Assert.Equal(atBudget, OpCodec.Decode(OpCodec.Encode(atBudget, CodecLimits.Fuzz), CodecLimits.Fuzz));
        var overBudget = atBudget.WithOps([.. atBudget.Ops, Op.Unmap(new Gfn(0), 1)]);
        Assert.StartsWith("op 4 (unmap gfn=0x0 nr=1): more than 528384 frames",
            Assert.Throws<ArgumentException>(() => OpCodec.Encode(overBudget, CodecLimits.Fuzz)).Message);
        Assert.Equal(overBudget, OpCodec.Decode(OpCodec.Encode(overBudget)));
    }
}
