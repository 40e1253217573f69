using P2M.Contract;
using P2M.Fuzz.Codec;

namespace P2M.Harness.Tests.Codec;

/// <summary>
/// The layout by example, byte for byte (README.md beside OpCodec). Committed corpora are bytes, so a
/// change here is a format change: it makes every saved input mean something else.
/// </summary>
public class FormatExampleTests
{
    private static Op Single(params byte[] bytes) => Assert.Single(OpCodec.Decode(bytes).Ops);

    [Fact]
    public void Empty_data_is_an_empty_mini_input()
    {
        FuzzInput input = OpCodec.Decode([], out int used);
        Assert.Equal(new FuzzInput(Geometry.Mini, null, []), input);
        Assert.Equal(0, used);
    }

    [Fact]
    public void The_header_picks_the_geometry_and_an_optional_pool()
    {
        Assert.Equal(new FuzzInput(Geometry.Mini, null, []), OpCodec.Decode([0x00]));
        Assert.Equal(new FuzzInput(Geometry.Real, null, []), OpCodec.Decode([0x01]));
        Assert.Equal(new FuzzInput(Geometry.Real, 8, []), OpCodec.Decode([0x03, 0x04, 0x00]));
        Assert.Equal(new FuzzInput(Geometry.Mini, 4, []), OpCodec.Decode([0x02, 0x00, 0x00]));
        // Below 0x8000, the small band: 4 + v mod 61, so 60 is 64 pages and 61 wraps to 4.
        Assert.Equal(64, OpCodec.Decode([0x02, 0x3c, 0x00]).PoolPages);
        Assert.Equal(4, OpCodec.Decode([0x02, 0x3d, 0x00]).PoolPages);
        // From 0x8000, the full band: 4 + 1020 = 1024, mini's default; 1021 wraps around to 4.
        Assert.Equal(1024, OpCodec.Decode([0x02, 0xfc, 0x83]).PoolPages);
        Assert.Equal(4, OpCodec.Decode([0x02, 0xfd, 0x83]).PoolPages);
        Assert.Equal(16384, OpCodec.Decode([0x03, 0xfc, 0xbf]).PoolPages);
        // Encode picks the small band when it can.
        Assert.Equal([0x02, 0x3c, 0x00], OpCodec.Encode(new FuzzInput(Geometry.Mini, 64, [])));
        Assert.Equal([0x02, 0x3d, 0x80], OpCodec.Encode(new FuzzInput(Geometry.Mini, 65, [])));
        // Bits 2-7 mean nothing.
        Assert.Equal(new FuzzInput(Geometry.Real, null, []), OpCodec.Decode([0xfd]));
        // A pool size cut short: no pool, no operations.
        Assert.Equal(new FuzzInput(Geometry.Mini, null, []), OpCodec.Decode([0x02, 0x0b], out int used));
        Assert.Equal(1, used);
    }

    [Fact]
    public void A_mini_map_record()
    {
        // nr 64, a mini 1G-sized leaf: edge 4 of the edge band, which starts at 0xd000.
        byte[] bytes = [0x00, /* map */ 0x00, /* gfn */ 0x40, 0x00, /* mfn */ 0x00, 0x02, /* nr */ 0x04, 0xd0, /* type: ram_rw */ 0x00];
        var input = new FuzzInput(Geometry.Mini, null, [Op.Map(new Gfn(0x40), new Mfn(0x200), 64, P2MType.RamRw)]);
        Assert.Equal(input, OpCodec.Decode(bytes));
        Assert.Equal(bytes, OpCodec.Encode(input));
    }

    [Fact]
    public void A_real_map_record_has_wider_frame_and_count_fields()
    {
        byte[] bytes =
        [
            0x01, /* map */ 0x00,
            /* gfn, 5 bytes */ 0x00, 0x00, 0xf0, 0x1f, 0x00,
            /* mfn, 6 bytes */ 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f,
            /* nr, 5 bytes: 512 in the tables band from 2^39 */ 0x00, 0x02, 0x00, 0x00, 0x80, /* type byte 2: ram_ro */ 0x02,
        ];
        var input = new FuzzInput(Geometry.Real, null, [Op.Map(new Gfn(0x1ff00000), new Mfn(0xfffffffff00), 512, P2MType.RamRo)]);
        Assert.Equal(input, OpCodec.Decode(bytes));
        Assert.Equal(bytes, OpCodec.Encode(input));
    }

    [Fact]
    public void Frame_regions_above_the_value_bits_name_the_edges()
    {
        // mini GFN: 11 value bits; region = bits 11-14 (bit 15 is above the region and ignored).
        Assert.Equal(0x7ffUL, Single(0x00, 0x07, 0xff, 0x07).Gfn.Value);               // lookup 0x7ff
        Assert.Equal(0x005UL, Single(0x00, 0x07, 0x05, 0x68).Gfn.Value);               // region 13: in the space
        Assert.Equal(0x800UL, Single(0x00, 0x07, 0x00, 0x70).Gfn.Value);               // region 14: the limit
        Assert.Equal(0x805UL, Single(0x00, 0x07, 0x05, 0x70).Gfn.Value);
        Assert.Equal(ulong.MaxValue, Single(0x00, 0x07, 0x00, 0x78).Gfn.Value);        // region 15: all ones
        Assert.Equal(ulong.MaxValue - 5, Single(0x00, 0x07, 0x05, 0xf8).Gfn.Value);    // bit 15 ignored
        // mini MFN: 12 value bits, region = bits 12-15.
        Op foreign = Single(0x00, 0x04, 0x01, 0x00, 0xe0, 0x0f, 0x01);
        Assert.Equal(Op.Foreign(new Gfn(1), new Mfn(0xfe0), readOnly: true), foreign);   // the grant window's base
        Assert.Equal(0x1000UL, Single(0x00, 0x04, 0x01, 0x00, 0x00, 0xe0, 0x00).Mfn.Value);
    }

    [Fact]
    public void Counts_fall_into_bands_small_first_costly_rarely()
    {
        static ulong Mini(byte lo, byte hi) => Single(0x00, 0x01, 0x00, 0x00, lo, hi).Nr;
        // mini, 2 bytes: tiny 0..16 below 0x8000, tables 0..17 from 0x8000, any 0..256 from 0xc000, edges from 0xd000.
        Assert.Equal(16UL, Mini(0x10, 0x00));
        Assert.Equal(0UL, Mini(0x11, 0x00));                 // 17 mod 17
        Assert.Equal(17UL, Mini(0x11, 0x80));
        Assert.Equal(256UL, Mini(0x00, 0xc1));               // the whole mini range
        Assert.Equal(7UL, Mini(0x00, 0xd0));                 // edges: 7 8 9 63 64 65 255 256 257 2^64-1
        Assert.Equal(257UL, Mini(0x08, 0xd0));               // one past the largest range
        Assert.Equal(ulong.MaxValue, Mini(0x09, 0xd0));
        Assert.Equal(7UL, Mini(0x0a, 0xd0));                 // the edges repeat
        Assert.Equal(256UL, Mini(0xff, 0xff));               // all ones is an edge: (0xffff - 0xd000) mod 10 = 7

        static ulong Real(params byte[] nr) => Single([0x01, 0x01, 0, 0, 0, 0, 0, .. nr]).Nr;
        // real, 5 bytes: tiny, tables 0..1025 from 2^39, any 0..4096 from 0xc0_0000_0000, then the costly
        // bands (2^-16 of the codes each), then edges from 0xd0_0000_0000.
        Assert.Equal(5UL, Real(0x05, 0, 0, 0, 0x00));
        Assert.Equal(1025UL, Real(0x01, 0x04, 0, 0, 0x80));
        Assert.Equal(4096UL, Real(0x00, 0x10, 0, 0, 0xc0));
        Assert.Equal(262143UL, Real(0x00, 0, 0, 0xfe, 0xcf));  // costly edges: 2^18 - 1, 2^18, 2^18 + 1, 2^20 - 1, 2^20
        Assert.Equal(1UL << 18, Real(0x01, 0, 0, 0xfe, 0xcf));
        Assert.Equal(1UL << 20, Real(0x04, 0, 0, 0xfe, 0xcf));
        Assert.Equal(300_000UL, Real(0xe0, 0x93, 0x04, 0xff, 0xcf)); // costly: any count up to 2^20
        Assert.Equal(512UL, Real(0x01, 0, 0, 0, 0xd0));        // edges: 511 512 513 2^20+1 2^64-1
        Assert.Equal((1UL << 20) + 1, Real(0x03, 0, 0, 0, 0xd0));
        Assert.Equal(ulong.MaxValue, Real(0x04, 0, 0, 0, 0xd0));
        Assert.Equal(513UL, Real(0xff, 0xff, 0xff, 0xff, 0xff)); // all ones: an edge, not a costly count
        // identity's length 2^64 - 1 is the backwards range end = start - 1.
        Assert.Equal(Op.Identity(new Gfn(0x10), new Gfn(0xf)), Single(0x00, 0x03, 0x10, 0x00, 0x09, 0xd0));
        // Encode writes a count in the cheapest band that holds it.
        Assert.Equal([0x01, 0x01, 0, 0, 0, 0, 0, 0x01, 0, 0, 0xfe, 0xcf],
            OpCodec.Encode(new FuzzInput(Geometry.Real, null, [Op.Unmap(new Gfn(0), 1UL << 18)])));
        Assert.Equal([0x01, 0x01, 0, 0, 0, 0, 0, 0x00, 0x02, 0, 0, 0x80],
            OpCodec.Encode(new FuzzInput(Geometry.Real, null, [Op.Unmap(new Gfn(0), 512)])));
    }

    [Fact]
    public void Small_counts_are_common_and_costly_ones_rare()
    {
        // Uniformly random count fields, as a byte-level fuzzer writes them.
        var random = new Random(7);
        var bytes = new byte[5];
        int samples = 200_000, tiny = 0, upToTwoTables = 0, costly = 0;
        for (int i = 0; i < samples; i++)
        {
            random.NextBytes(bytes);
            ulong nr = Single([0x01, 0x01, 0, 0, 0, 0, 0, .. bytes]).Nr;
            if (nr <= 16) tiny++;
            if (nr <= 1025) upToTwoTables++;
            if (nr > 4096 && nr <= 1UL << 20) costly++;
        }
        Assert.InRange(tiny, samples * 45 / 100, samples * 6 / 10);      // the tiny band is half the codes
        Assert.InRange(upToTwoTables, samples * 7 / 10, samples * 9 / 10); // tiny and tables: three quarters
        Assert.InRange(costly, 0, 40);                                   // 2^-15 of the codes: about 6 expected
    }

    [Fact]
    public void Type_bytes_below_128_are_requestable_above_any_code()
    {
        static Op Retype(byte from, byte to) => Single(0x00, 0x02, 0x00, 0x00, 0x01, 0x00, from, to);
        Assert.Equal(Op.Retype(new Gfn(0), 1, P2MType.RamRw, P2MType.IommuMapRo), Retype(0, 8));
        Assert.Equal(Op.Retype(new Gfn(0), 1, P2MType.RamRw, P2MType.MmioDirectIo), Retype(9, 127)); // 127 mod 9 = 1
        Assert.Equal(Op.Retype(new Gfn(0), 1, P2MType.Invalid, P2MType.ExtStorage), Retype(0x80, 0x83));
        Assert.Equal(Op.Retype(new Gfn(0), 1, P2MType.MapForeignRw, P2MType.Invalid), Retype(0x85, 0x80 + 13));
    }

    [Fact]
    public void Small_fields()
    {
        Assert.Equal(Op.GrantSetup(33), Single(0x00, 0x05, 0x21, 0x00));              // mini max + 1
        Assert.Equal(Op.GrantSetup(0), Single(0x00, 0x05, 0x22, 0x00));                // 34 wraps
        Assert.Equal(Op.GrantMap(ulong.MaxValue, new Gfn(2)), Single(0x00, 0x06, 0x21, 0x00, 0x02, 0x00));
        Assert.Equal(Op.FailAllocs(7), Single(0x00, 0x09, 0x0f));                       // 15 mod 8
        Assert.Equal(Op.DirectMap(true), Single(0x00, 0x0a, 0xfd));
        Assert.Equal(Op.DirectMap(false), Single(0x00, 0x0a, 0xfe));
        Assert.Equal(Op.Teardown(), Single(0x00, 0x0b));
    }

    [Fact]
    public void Every_opcode_byte_names_the_kind_of_its_value_mod_12()
    {
        for (int opcode = 0; opcode < 256; opcode++)
        {
            var bytes = new byte[32];
            bytes[0] = 0x01;
            bytes[1] = (byte)opcode;
            Op first = OpCodec.Decode(bytes).Ops[0];
            Assert.Equal((OpKind)(opcode % 12), first.Kind);
            bytes[1] = (byte)(opcode % 12);
            Assert.Equal(first, OpCodec.Decode(bytes).Ops[0]);
        }
    }

    [Fact]
    public void A_truncated_last_record_is_dropped_and_counted_as_unused()
    {
        // teardown, then a map cut after its gfn.
        FuzzInput input = OpCodec.Decode([0x00, 0x0b, 0x00, 0x40, 0x00], out int used);
        Assert.Equal([Op.Teardown()], input.Ops);
        Assert.Equal(2, used);
    }
}
