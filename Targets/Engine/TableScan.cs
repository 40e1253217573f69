using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace P2M.Engine;

/// <summary>The widest vector a scan may use; the engine takes <see cref="TableScan.Widest"/>, tests each in turn.</summary>
internal enum ScanWidth { Scalar = 0, Vector128 = 128, Vector256 = 256, Vector512 = 512 }

/// <summary>
/// Vectorised scans over table pages (64-bit entries) and metadata pages (one-byte slots), in the style of
/// the runtime's SpanHelpers: a Vector512 → Vector256 → Vector128 → scalar cascade, the widest that the
/// span fills, ending on an overlapping last load instead of a scalar tail. Byte scans use the base
/// library's vectorised primitives. The audits, the whole-state walk and the journal's page checks spend
/// their time here: most entries of a sparse P2M are invalid, and skipping them a vector at a time is what
/// keeps the checks cheap. A width the hardware lacks still computes the same answer (in software).
/// </summary>
internal static class TableScan
{
    /// <summary>The widest vector the hardware runs (DOTNET_EnableAVX512F=0 and DOTNET_EnableAVX2=0 narrow it).</summary>
    public static readonly ScanWidth Widest =
        Vector512.IsHardwareAccelerated ? ScanWidth.Vector512
        : Vector256.IsHardwareAccelerated ? ScanWidth.Vector256
        : Vector128.IsHardwareAccelerated ? ScanWidth.Vector128
        : ScanWidth.Scalar;

    /// <summary>Index of the first entry at or after <paramref name="start"/> with any bit of <paramref name="mask"/> set, or -1.</summary>
    public static int IndexOfAnyBit(ReadOnlySpan<ulong> entries, int start, ulong mask, ScanWidth width)
    {
        int n = entries.Length - start;
        if (n <= 0) return -1;
        ref ulong first = ref Unsafe.Add(ref MemoryMarshal.GetReference(entries), start);
        int found = width switch
        {
            >= ScanWidth.Vector512 when n >= Lanes512.Count => IndexOfAnyBit<Lanes512>(ref first, n, mask),
            >= ScanWidth.Vector256 when n >= Lanes256.Count => IndexOfAnyBit<Lanes256>(ref first, n, mask),
            >= ScanWidth.Vector128 when n >= Lanes128.Count => IndexOfAnyBit<Lanes128>(ref first, n, mask),
            _ => IndexOfAnyBitScalar(ref first, n, mask),
        };
        return found < 0 ? -1 : start + found;
    }

    /// <summary>Scalar reference of <see cref="IndexOfAnyBit(ReadOnlySpan{ulong}, int, ulong, ScanWidth)"/>, kept for tests and benchmarks.</summary>
    public static int IndexOfAnyBitScalar(ReadOnlySpan<ulong> entries, int start, ulong mask) =>
        IndexOfAnyBit(entries, start, mask, ScanWidth.Scalar);

    /// <summary>
    /// Bit i set when entry <paramref name="start"/> + i, of at most 64 from there, has any bit of
    /// <paramref name="mask"/> set: the hits of one window, which a find-all takes one by one.
    /// </summary>
    public static ulong AnyBitWindow(ReadOnlySpan<ulong> entries, int start, ulong mask, ScanWidth width)
    {
        int n = Math.Min(64, entries.Length - start);
        if (n <= 0) return 0;
        return ~MatchBits(entries, start, mask, 0, width) & (n == 64 ? ulong.MaxValue : (1UL << n) - 1);
    }

    /// <summary>Entries whose <paramref name="mask"/> bits equal <paramref name="value"/>.</summary>
    public static int CountMasked(ReadOnlySpan<ulong> entries, ulong mask, ulong value) => CountMasked(entries, mask, value, Widest);

    /// <inheritdoc cref="CountMasked(ReadOnlySpan{ulong}, ulong, ulong)"/>
    public static int CountMasked(ReadOnlySpan<ulong> entries, ulong mask, ulong value, ScanWidth width)
    {
        int n = entries.Length;
        ref ulong first = ref MemoryMarshal.GetReference(entries);
        return width switch
        {
            >= ScanWidth.Vector512 when n >= Lanes512.Count => CountMasked<Lanes512>(ref first, n, mask, value),
            >= ScanWidth.Vector256 when n >= Lanes256.Count => CountMasked<Lanes256>(ref first, n, mask, value),
            >= ScanWidth.Vector128 when n >= Lanes128.Count => CountMasked<Lanes128>(ref first, n, mask, value),
            _ => CountMaskedScalar(ref first, n, mask, value),
        };
    }

    /// <summary>Scalar reference of <see cref="CountMasked(ReadOnlySpan{ulong}, ulong, ulong)"/>.</summary>
    public static int CountMaskedScalar(ReadOnlySpan<ulong> entries, ulong mask, ulong value) =>
        CountMasked(entries, mask, value, ScanWidth.Scalar);

    /// <summary>
    /// Bit i set when entry <paramref name="start"/> + i, of at most 64 from there, has its
    /// <paramref name="mask"/> bits equal to <paramref name="value"/>: the marker positions of a page,
    /// to set against the used slots of its metadata page.
    /// </summary>
    public static ulong MatchBits(ReadOnlySpan<ulong> entries, int start, ulong mask, ulong value, ScanWidth width)
    {
        int n = Math.Min(64, entries.Length - start);
        ref ulong first = ref Unsafe.Add(ref MemoryMarshal.GetReference(entries), start);
        return width switch
        {
            >= ScanWidth.Vector512 when n >= Lanes512.Count => MatchBits<Lanes512>(ref first, n, mask, value),
            >= ScanWidth.Vector256 when n >= Lanes256.Count => MatchBits<Lanes256>(ref first, n, mask, value),
            >= ScanWidth.Vector128 when n >= Lanes128.Count => MatchBits<Lanes128>(ref first, n, mask, value),
            _ => MatchBitsScalar(ref first, n, mask, value),
        };
    }

    /// <summary>Bit i set when slot <paramref name="start"/> + i, of at most 64 from there, is not 0.</summary>
    public static ulong NonZeroBits(ReadOnlySpan<byte> slots, int start, ScanWidth width)
    {
        int n = Math.Min(64, slots.Length - start);
        ref byte first = ref Unsafe.Add(ref MemoryMarshal.GetReference(slots), start);
        ulong zero = width switch
        {
            // 64, 32 or 16 slots in one compare; fewer (mini's 8) are one scalar pass.
            >= ScanWidth.Vector512 when n % Lanes512.Bytes == 0 => ZeroBits<Lanes512>(ref first, n),
            >= ScanWidth.Vector256 when n % Lanes256.Bytes == 0 => ZeroBits<Lanes256>(ref first, n),
            >= ScanWidth.Vector128 when n % Lanes128.Bytes == 0 => ZeroBits<Lanes128>(ref first, n),
            _ => ZeroBitsScalar(ref first, n),
        };
        return ~zero & (n == 64 ? ulong.MaxValue : (1UL << n) - 1);
    }

    /// <summary>Slots that are not 0: the used slots of a metadata page (the base library's vectorised count).</summary>
    public static int CountNonZero(ReadOnlySpan<byte> slots) => slots.Length - slots.Count((byte)0);

    /// <summary>Index of the first slot that is neither 0 nor in [<paramref name="low"/>, <paramref name="high"/>], or -1.</summary>
    public static int IndexOfInvalidSlot(ReadOnlySpan<byte> slots, byte low, byte high)
    {
        // Valid slots are 0 and low..high: what is left is 1..low-1 and high+1..255.
        int below = low > 1 ? slots.IndexOfAnyInRange((byte)1, (byte)(low - 1)) : -1;
        int above = high < byte.MaxValue ? slots.IndexOfAnyInRange((byte)(high + 1), byte.MaxValue) : -1;
        return below < 0 ? above : above < 0 ? below : Math.Min(below, above);
    }

    /// <summary>
    /// A find-all over one span: every index with a bit of the mask set, in order. It jumps to the next
    /// hit with <see cref="IndexOfAnyBit(ReadOnlySpan{ulong}, int, ulong, ScanWidth)"/>, then takes the
    /// 64 entries from there as one bit mask and hands out its set bits, so a dense page costs a few
    /// vector loads per 64 entries rather than a scan per hit.
    /// </summary>
    public struct Hits
    {
        private ulong _bits;  // hits from _base not handed out yet
        private int _base;    // the index of bit 0 of _bits
        private int _next;    // the first index _bits does not cover

        /// <summary>Starts at <paramref name="start"/>.</summary>
        public Hits(int start) => _next = start;

        /// <summary>
        /// The next index with a bit of <paramref name="mask"/> set, or -1. The same span and mask every
        /// call; an entry at or before the last index returned may change in between, none after it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(ReadOnlySpan<ulong> entries, ulong mask, ScanWidth width)
        {
            if (_bits == 0 && !Refill(entries, mask, width)) return -1;
            int hit = _base + BitOperations.TrailingZeroCount(_bits);
            _bits &= _bits - 1;
            return hit;
        }

        /// <summary>Forgets the hits taken from the last window: the next call scans again from just after <paramref name="index"/>.</summary>
        public void RescanAfter(int index)
        {
            _bits = 0;
            _next = index + 1;
        }

        private bool Refill(ReadOnlySpan<ulong> entries, ulong mask, ScanWidth width)
        {
            int first = IndexOfAnyBit(entries, _next, mask, width);
            if (first < 0)
            {
                _next = entries.Length;
                return false;
            }
            _base = first;
            _bits = AnyBitWindow(entries, first, mask, width);
            _next = first + Math.Min(64, entries.Length - first);
            return true;
        }
    }

    // ---- one loop each, for every width ----------------------------------------------------------------

    private static int IndexOfAnyBit<TLanes>(ref ulong first, int n, ulong mask) where TLanes : struct, ILanes
    {
        int i = 0;
        for (; i <= n - TLanes.Count; i += TLanes.Count)
        {
            ulong hits = AnyBits<TLanes>(ref Unsafe.Add(ref first, i), mask);
            if (hits != 0) return i + BitOperations.TrailingZeroCount(hits);
        }
        if (i == n) return -1;
        // The overlapping last load: its lanes before i were looked at already, and held nothing.
        int last = n - TLanes.Count;
        ulong tail = AnyBits<TLanes>(ref Unsafe.Add(ref first, last), mask) >> (i - last);
        return tail == 0 ? -1 : i + BitOperations.TrailingZeroCount(tail);
    }

    private static int CountMasked<TLanes>(ref ulong first, int n, ulong mask, ulong value) where TLanes : struct, ILanes
    {
        int i = 0, count = 0;
        for (; i <= n - TLanes.Count; i += TLanes.Count)
            count += BitOperations.PopCount(TLanes.Matches(ref Unsafe.Add(ref first, i), mask, value));
        if (i == n) return count;
        // The overlapping last load counts only the lanes from i on.
        int last = n - TLanes.Count;
        return count + BitOperations.PopCount(TLanes.Matches(ref Unsafe.Add(ref first, last), mask, value) >> (i - last));
    }

    private static ulong MatchBits<TLanes>(ref ulong first, int n, ulong mask, ulong value) where TLanes : struct, ILanes
    {
        int i = 0;
        ulong bits = 0;
        for (; i <= n - TLanes.Count; i += TLanes.Count)
            bits |= TLanes.Matches(ref Unsafe.Add(ref first, i), mask, value) << i;
        if (i == n) return bits;
        int last = n - TLanes.Count;
        return bits | (TLanes.Matches(ref Unsafe.Add(ref first, last), mask, value) >> (i - last) << i);
    }

    private static int IndexOfAnyBitScalar(ref ulong first, int n, ulong mask)
    {
        for (int i = 0; i < n; i++)
            if ((Unsafe.Add(ref first, i) & mask) != 0) return i;
        return -1;
    }

    private static int CountMaskedScalar(ref ulong first, int n, ulong mask, ulong value)
    {
        int count = 0;
        for (int i = 0; i < n; i++)
            if ((Unsafe.Add(ref first, i) & mask) == value) count++;
        return count;
    }

    private static ulong MatchBitsScalar(ref ulong first, int n, ulong mask, ulong value)
    {
        ulong bits = 0;
        for (int i = 0; i < n; i++)
            if ((Unsafe.Add(ref first, i) & mask) == value) bits |= 1UL << i;
        return bits;
    }

    private static ulong ZeroBits<TLanes>(ref byte first, int n) where TLanes : struct, ILanes
    {
        ulong bits = 0;
        for (int i = 0; i < n; i += TLanes.Bytes) bits |= TLanes.ZeroBytes(ref Unsafe.Add(ref first, i)) << i;
        return bits;
    }

    private static ulong ZeroBitsScalar(ref byte first, int n)
    {
        ulong bits = 0;
        for (int i = 0; i < n; i++)
            if (Unsafe.Add(ref first, i) == 0) bits |= 1UL << i;
        return bits;
    }

    /// <summary>Lanes with any bit of <paramref name="mask"/> set: those whose masked bits are not all 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AnyBits<TLanes>(ref ulong at, ulong mask) where TLanes : struct, ILanes =>
        ~TLanes.Matches(ref at, mask, 0) & ((1UL << TLanes.Count) - 1);

    /// <summary>One vector width: each answer is one bit per 64-bit lane, or per byte.</summary>
    private interface ILanes
    {
        /// <summary>64-bit lanes in one vector.</summary>
        static abstract int Count { get; }

        /// <summary>Bytes in one vector.</summary>
        static abstract int Bytes { get; }

        /// <summary>Lanes whose <paramref name="mask"/> bits equal <paramref name="value"/>.</summary>
        static abstract ulong Matches(ref ulong at, ulong mask, ulong value);

        /// <summary>Bytes that are 0.</summary>
        static abstract ulong ZeroBytes(ref byte at);
    }

    private readonly struct Lanes512 : ILanes
    {
        public static int Count => Vector512<ulong>.Count;
        public static int Bytes => Vector512<byte>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Matches(ref ulong at, ulong mask, ulong value) =>
            Vector512.Equals(Vector512.LoadUnsafe(ref at) & Vector512.Create(mask), Vector512.Create(value)).ExtractMostSignificantBits();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong ZeroBytes(ref byte at) => Vector512.Equals(Vector512.LoadUnsafe(ref at), Vector512<byte>.Zero).ExtractMostSignificantBits();
    }

    private readonly struct Lanes256 : ILanes
    {
        public static int Count => Vector256<ulong>.Count;
        public static int Bytes => Vector256<byte>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Matches(ref ulong at, ulong mask, ulong value) =>
            Vector256.Equals(Vector256.LoadUnsafe(ref at) & Vector256.Create(mask), Vector256.Create(value)).ExtractMostSignificantBits();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong ZeroBytes(ref byte at) => Vector256.Equals(Vector256.LoadUnsafe(ref at), Vector256<byte>.Zero).ExtractMostSignificantBits();
    }

    private readonly struct Lanes128 : ILanes
    {
        public static int Count => Vector128<ulong>.Count;
        public static int Bytes => Vector128<byte>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Matches(ref ulong at, ulong mask, ulong value) =>
            Vector128.Equals(Vector128.LoadUnsafe(ref at) & Vector128.Create(mask), Vector128.Create(value)).ExtractMostSignificantBits();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong ZeroBytes(ref byte at) => Vector128.Equals(Vector128.LoadUnsafe(ref at), Vector128<byte>.Zero).ExtractMostSignificantBits();
    }
}
