using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Codec;

/// <summary>Any byte string decodes, within the bounds, the same way every time, and a cut only drops the tail.</summary>
public class DecodePropertyTests
{
    [Property(MaxTest = 3000, Replay = CodecGen.Replay)]
    public Property Any_bytes_decode_without_throwing_and_within_the_default_bounds()
    {
        return Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
        {
            FuzzInput input = OpCodec.Decode(bytes, out int used);
            Assert.InRange(used, 0, bytes.Length);
            DecodedBounds.AssertWithin(input, CodecLimits.Files);
        });
    }

    [Property(MaxTest = 1000, Replay = CodecGen.Replay)]
    public Property Any_bytes_decode_within_any_limits()
    {
        return Prop.ForAll(Arb.From(CodecGen.Bytes), Arb.From(CodecGen.Limits), (bytes, limits) =>
            DecodedBounds.AssertWithin(OpCodec.Decode(bytes, limits), limits));
    }

    [Property(MaxTest = 1000, Replay = CodecGen.Replay)]
    public Property Decoding_is_deterministic()
    {
        return Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
            OpCodec.Decode(bytes) == OpCodec.Decode(bytes.ToArray()));
    }

    [Property(MaxTest = 500, Replay = CodecGen.Replay)]
    public Property Every_decoded_input_prints_as_a_script_that_parses_back_to_it()
    {
        return Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
        {
            FuzzInput input = OpCodec.Decode(bytes);
            Script back = ScriptParser.Parse(ScriptPrinter.Print(input.ToScript("decoded.p2m")), "decoded.p2m");
            return FuzzInput.FromScript(back) == input;
        });
    }

    [Property(MaxTest = 1000, Replay = CodecGen.Replay)]
    public Property A_prefix_decodes_to_a_prefix_of_the_operations()
    {
        var bytesAndCut = CodecGen.Bytes.SelectMany(b => Gen.Choose(0, b.Length), (b, cut) => (b, cut));
        return Prop.ForAll(Arb.From(bytesAndCut), x =>
        {
            FuzzInput whole = OpCodec.Decode(x.b);
            FuzzInput cut = OpCodec.Decode(x.b.AsSpan(0, x.cut), out int used);
            Assert.True(used <= x.cut);
            Assert.True(cut.Ops.Length <= whole.Ops.Length);
            Assert.Equal(whole.Ops.AsSpan(0, cut.Ops.Length).ToArray(), cut.Ops);
            if (x.cut > 0) Assert.Same(whole.Geometry, cut.Geometry);
            // Once the header and pool are whole, they read as in the whole input.
            if (cut.Ops.Length > 0) Assert.Equal(whole.PoolPages, cut.PoolPages);
        });
    }

    [Property(MaxTest = 500, Replay = CodecGen.Replay)]
    public Property Dropping_the_last_byte_of_an_encoded_input_drops_exactly_its_last_operation()
    {
        return Prop.ForAll(Arb.From(CodecGen.AnyInputs), input =>
        {
            byte[] bytes = OpCodec.Encode(input);
            if (input.Ops.Length == 0) return true;
            FuzzInput cut = OpCodec.Decode(bytes.AsSpan(0, bytes.Length - 1), out int used);
            return cut == input.WithOps(input.Ops[..^1]) && used == OpCodec.Encode(cut).Length;
        });
    }

    [Property(MaxTest = 300, Replay = CodecGen.Replay)]
    public Property Bytes_past_the_operation_limit_are_ignored()
    {
        return Prop.ForAll(Arb.From(CodecGen.Bytes), Arb.From(Gen.Choose(0, 20)), (bytes, maxOps) =>
        {
            var limits = new CodecLimits(maxOps, ulong.MaxValue, 7);
            FuzzInput all = OpCodec.Decode(bytes, new CodecLimits(int.MaxValue, ulong.MaxValue, 7));
            FuzzInput limited = OpCodec.Decode(bytes, limits);
            Assert.Equal(all.Ops.Take(maxOps).ToArray(), limited.Ops);
        });
    }

    [Property(MaxTest = 500, Replay = CodecGen.Replay)]
    public Property Decoding_stops_before_the_record_that_would_pass_the_frame_budget()
    {
        var budgets = Gen.Frequency((3, Gen.Choose(0, 3000)), (1, Gen.Choose(0, 1 << 21))).Select(b => (ulong)b);
        return Prop.ForAll(Arb.From(CodecGen.Bytes), Arb.From(budgets), (bytes, budget) =>
        {
            FuzzInput all = OpCodec.Decode(bytes, new CodecLimits(int.MaxValue, ulong.MaxValue, 7));
            FuzzInput limited = OpCodec.Decode(bytes, out int used, new CodecLimits(int.MaxValue, budget, 7));
            Assert.Equal(CodecGen.WithinFrames(all.Ops, all.Geometry, budget), limited.Ops);
            // What was read is exactly what was kept: the header and the records before the cut.
            if (bytes.Length > 0) Assert.Equal(OpCodec.Encode(limited).Length, used);
        });
    }

    [Fact]
    public void A_stored_input_reads_under_the_fuzzing_limits_as_a_prefix_of_itself()
    {
        // The fold of a record never depends on the limits: files and fuzzers read the same records.
        var input = new FuzzInput(Geometry.Real, null,
        [
            Op.Map(new Gfn(0), new Mfn(0), 1UL << 18, P2MType.RamRw),
            Op.Unmap(new Gfn(0), 1UL << 18),
            Op.Map(new Gfn(0), new Mfn(0), 4096, P2MType.RamRw),
            Op.Map(new Gfn(0), new Mfn(0), 1, P2MType.RamRw),
            Op.Lookup(new Gfn(0)),
        ]);
        byte[] bytes = OpCodec.Encode(input);
        Assert.Equal(input, OpCodec.Decode(bytes));
        // 2 x 2^18 + 4096 frames is the budget itself; one frame more is not.
        Assert.Equal(input.Ops[..3], OpCodec.Decode(bytes, CodecLimits.Fuzz).Ops);
    }
}
