namespace P2M.Engine.Tests;

/// <summary>
/// Every scan at every width (Vector512, Vector256, Vector128, scalar) gives the answer of a plain loop, on
/// random pages of both geometries' sizes and on odd lengths that end on an overlapping load. A width the
/// hardware lacks runs in software here; the hardware paths of narrower machines are exercised by running
/// the suite with DOTNET_EnableAVX512F=0 and DOTNET_EnableAVX2=0 (docs/PERFORMANCE.md).
/// </summary>
public class TableScanTests
{
    private static readonly ScanWidth[] Widths = [ScanWidth.Scalar, ScanWidth.Vector128, ScanWidth.Vector256, ScanWidth.Vector512];

    private static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 31, 64, 100, 512];

    /// <summary>Pages from empty to full, entries of random bits or of real leaves and links.</summary>
    private static ulong[] RandomPage(Random random, int length)
    {
        var page = new ulong[length];
        int density = random.Next(5); // one entry in 2^density is set
        for (int i = 0; i < length; i++)
        {
            if (random.Next(1 << density) != 0) continue;
            page[i] = random.Next(3) switch
            {
                0 => (ulong)random.NextInt64(),
                1 => Pte.Leaf((ulong)random.Next(1 << 20), (Contract.P2MType)random.Next(1, 13), identity: false),
                _ => Pte.Table(random.Next(5, 1000)),
            };
        }
        return page;
    }

    [Fact]
    public void Every_width_finds_the_entry_a_plain_loop_finds()
    {
        var random = new Random(1234);
        foreach (int length in Lengths)
            for (int round = 0; round < 40; round++)
            {
                ulong[] page = RandomPage(random, length);
                ulong mask = random.Next(2) == 0 ? Pte.Valid : Pte.Valid | Pte.TypeMask;
                for (int start = 0; start <= length; start++)
                {
                    int expected = -1;
                    for (int i = start; i < length && expected < 0; i++)
                        if ((page[i] & mask) != 0) expected = i;
                    foreach (ScanWidth width in Widths)
                        Assert.Equal(expected, TableScan.IndexOfAnyBit(page, start, mask, width));
                }
            }
    }

    [Fact]
    public void Every_width_finds_all_the_entries_a_plain_loop_finds()
    {
        var random = new Random(4321);
        foreach (int length in Lengths.Append(200).Append(1000))
            for (int round = 0; round < 40; round++)
            {
                ulong[] page = RandomPage(random, length);
                ulong mask = random.Next(2) == 0 ? Pte.Valid : Pte.Valid | Pte.TypeMask;
                int start = length == 0 ? 0 : random.Next(length);
                var expected = new List<int>();
                for (int i = start; i < length; i++)
                    if ((page[i] & mask) != 0) expected.Add(i);
                foreach (ScanWidth width in Widths)
                {
                    var found = new List<int>();
                    var hits = new TableScan.Hits(start);
                    for (int i; (i = hits.Next(page, mask, width)) >= 0;) found.Add(i);
                    Assert.Equal(expected, found);
                }
            }
    }

    [Fact]
    public void A_find_all_told_to_rescan_sees_entries_changed_after_it()
    {
        foreach (ScanWidth width in Widths)
        {
            var page = new ulong[512];
            page[3] = page[70] = Pte.Valid;
            var hits = new TableScan.Hits(0);
            Assert.Equal(3, hits.Next(page, Pte.Valid, width));
            // Entry 10 is set behind the window read at entry 3, entry 70 cleared: only a rescan sees either.
            page[10] = Pte.Valid;
            page[70] = 0;
            hits.RescanAfter(3);
            Assert.Equal(10, hits.Next(page, Pte.Valid, width));
            Assert.Equal(-1, hits.Next(page, Pte.Valid, width));
        }
    }

    [Fact]
    public void Every_width_counts_and_places_what_a_plain_loop_counts()
    {
        var random = new Random(99);
        const ulong marker = Pte.Valid | Pte.TypeMask;
        foreach (int length in Lengths)
            for (int round = 0; round < 40; round++)
            {
                ulong[] page = RandomPage(random, length);
                (ulong mask, ulong value) = random.Next(2) == 0 ? (marker, marker) : (Pte.Valid | Pte.Perms, Pte.Valid);
                int count = 0;
                foreach (ulong e in page)
                    if ((e & mask) == value) count++;
                foreach (ScanWidth width in Widths)
                {
                    Assert.Equal(count, TableScan.CountMasked(page, mask, value, width));
                    for (int start = 0; start < length; start += 64)
                    {
                        ulong bits = 0;
                        for (int i = start; i < Math.Min(length, start + 64); i++)
                            if ((page[i] & mask) == value) bits |= 1UL << (i - start);
                        Assert.Equal(bits, TableScan.MatchBits(page, start, mask, value, width));
                    }
                }
            }
    }

    [Fact]
    public void Every_width_finds_the_used_slots_a_plain_loop_finds()
    {
        var random = new Random(7);
        foreach (int length in new[] { 8, 16, 32, 48, 64, 512 })
            for (int round = 0; round < 60; round++)
            {
                var slots = new byte[length];
                int density = random.Next(4);
                for (int i = 0; i < length; i++)
                    if (random.Next(1 << density) == 0) slots[i] = (byte)random.Next(256);
                int used = 0, invalid = -1;
                foreach (byte s in slots)
                    if (s != 0) used++;
                for (int i = 0; i < length && invalid < 0; i++)
                    if (slots[i] is > 0 and < 4 or > 12) invalid = i;
                Assert.Equal(used, TableScan.CountNonZero(slots));
                Assert.Equal(invalid, TableScan.IndexOfInvalidSlot(slots, 4, 12));
                foreach (ScanWidth width in Widths)
                    for (int start = 0; start < length; start += 64)
                    {
                        ulong bits = 0;
                        for (int i = start; i < Math.Min(length, start + 64); i++)
                            if (slots[i] != 0) bits |= 1UL << (i - start);
                        Assert.Equal(bits, TableScan.NonZeroBits(slots, start, width));
                    }
            }
    }
}
