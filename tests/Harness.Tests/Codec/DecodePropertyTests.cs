using FsCheck;
using FsCheck.Fluent;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Codec;

/// <summary>Any byte string decodes, within the bounds, the same way every time, and a cut only drops the tail.</summary>
public class DecodePropertyTests
{
    [Fact]
    public void Any_bytes_decode_without_throwing_and_within_the_default_bounds()
    {
        Check.One(CodecGen.Deterministic(3000), Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
        {
            FuzzInput input = OpCodec.Decode(bytes, out int used);
            Assert.InRange(used, 0, bytes.Length);
            DecodedBounds.AssertWithin(input, CodecLimits.For(input.Geometry));
        }));
    }

    [Fact]
    public void Any_bytes_decode_within_any_limits()
    {
        Check.One(CodecGen.Deterministic(1000), Prop.ForAll(Arb.From(CodecGen.Bytes), Arb.From(CodecGen.Limits), (bytes, limits) =>
            DecodedBounds.AssertWithin(OpCodec.Decode(bytes, limits), limits)));
    }

    [Fact]
    public void Decoding_is_deterministic()
    {
        Check.One(CodecGen.Deterministic(1000), Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
            OpCodec.Decode(bytes) == OpCodec.Decode(bytes.ToArray())));
    }

    [Fact]
    public void Every_decoded_input_prints_as_a_script_that_parses_back_to_it()
    {
        Check.One(CodecGen.Deterministic(500), Prop.ForAll(Arb.From(CodecGen.Bytes), bytes =>
        {
            FuzzInput input = OpCodec.Decode(bytes);
            Script back = ScriptParser.Parse(ScriptPrinter.Print(input.ToScript("decoded.p2m")), "decoded.p2m");
            return FuzzInput.FromScript(back) == input;
        }));
    }

    [Fact]
    public void A_prefix_decodes_to_a_prefix_of_the_operations()
    {
        var bytesAndCut = CodecGen.Bytes.SelectMany(b => Gen.Choose(0, b.Length), (b, cut) => (b, cut));
        Check.One(CodecGen.Deterministic(1000), Prop.ForAll(Arb.From(bytesAndCut), x =>
        {
            FuzzInput whole = OpCodec.Decode(x.b);
            FuzzInput cut = OpCodec.Decode(x.b.AsSpan(0, x.cut), out int used);
            Assert.True(used <= x.cut);
            Assert.True(cut.Ops.Length <= whole.Ops.Length);
            Assert.Equal(whole.Ops.AsSpan(0, cut.Ops.Length).ToArray(), cut.Ops);
            if (x.cut > 0) Assert.Same(whole.Geometry, cut.Geometry);
            // Once the header and pool are whole, they read as in the whole input.
            if (cut.Ops.Length > 0) Assert.Equal(whole.PoolPages, cut.PoolPages);
        }));
    }

    [Fact]
    public void Dropping_the_last_byte_of_an_encoded_input_drops_exactly_its_last_operation()
    {
        Check.One(CodecGen.Deterministic(500), Prop.ForAll(Arb.From(CodecGen.AnyInputs), input =>
        {
            byte[] bytes = OpCodec.Encode(input);
            if (input.Ops.Length == 0) return true;
            FuzzInput cut = OpCodec.Decode(bytes.AsSpan(0, bytes.Length - 1), out int used);
            return cut == input.WithOps(input.Ops[..^1]) && used == OpCodec.Encode(cut).Length;
        }));
    }

    [Fact]
    public void Bytes_past_the_operation_limit_are_ignored()
    {
        Check.One(CodecGen.Deterministic(300), Prop.ForAll(Arb.From(CodecGen.Bytes), Arb.From(Gen.Choose(0, 20)), (bytes, maxOps) =>
        {
            var limits = new CodecLimits(maxOps, 257, 7);
            FuzzInput all = OpCodec.Decode(bytes, new CodecLimits(int.MaxValue, 257, 7));
            FuzzInput limited = OpCodec.Decode(bytes, limits);
            Assert.Equal(all.Ops.Take(maxOps).ToArray(), limited.Ops);
        }));
    }
}
