using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace P2M.Engine;

/// <summary>
/// Vectorised scans over a table or metadata page, in the style of the runtime's SpanHelpers:
/// a Vector256/Vector128 body where the hardware has it, and a scalar loop for the tail and as
/// the fallback. The audits and whole-state walks spend their time here: most entries of a
/// sparse P2M are invalid, and skipping them E at a time is what keeps per-step audits cheap.
/// </summary>
internal static class TableScan
{
    /// <summary>Index of the first entry at or after <paramref name="start"/> with any bit of <paramref name="mask"/> set, or -1.</summary>
    public static int IndexOfAnyBit(ReadOnlySpan<ulong> entries, int start, ulong mask)
    {
        int i = start;
        ref ulong first = ref MemoryMarshal.GetReference(entries);
        // Dense pages: the next hit is usually within a few entries, so look there before paying
        // for a vector loop's setup (the benchmark showed the vector path losing on dense pages).
        for (int end = Math.Min(entries.Length, start + 4); i < end; i++)
            if ((Unsafe.Add(ref first, i) & mask) != 0) return i;
        if (Vector256.IsHardwareAccelerated && entries.Length - i >= Vector256<ulong>.Count)
        {
            var bits = Vector256.Create(mask);
            for (; i <= entries.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                var hits = Vector256.LoadUnsafe(ref first, (nuint)i) & bits;
                if (hits != Vector256<ulong>.Zero)
                    return i + BitOperations.TrailingZeroCount(Vector256.ExtractMostSignificantBits(~Vector256.Equals(hits, Vector256<ulong>.Zero)));
            }
        }
        else if (Vector128.IsHardwareAccelerated && entries.Length - i >= Vector128<ulong>.Count)
        {
            var bits = Vector128.Create(mask);
            for (; i <= entries.Length - Vector128<ulong>.Count; i += Vector128<ulong>.Count)
            {
                var hits = Vector128.LoadUnsafe(ref first, (nuint)i) & bits;
                if (hits != Vector128<ulong>.Zero)
                    return i + BitOperations.TrailingZeroCount(Vector128.ExtractMostSignificantBits(~Vector128.Equals(hits, Vector128<ulong>.Zero)));
            }
        }
        for (; i < entries.Length; i++)
            if ((Unsafe.Add(ref first, i) & mask) != 0) return i;
        return -1;
    }

    /// <summary>Scalar reference of <see cref="IndexOfAnyBit"/>, kept for tests and benchmarks.</summary>
    public static int IndexOfAnyBitScalar(ReadOnlySpan<ulong> entries, int start, ulong mask)
    {
        for (int i = start; i < entries.Length; i++)
            if ((entries[i] & mask) != 0) return i;
        return -1;
    }

    /// <summary>Entries whose <paramref name="mask"/> bits equal <paramref name="value"/>.</summary>
    public static int CountMasked(ReadOnlySpan<ulong> entries, ulong mask, ulong value)
    {
        int i = 0, count = 0;
        ref ulong first = ref MemoryMarshal.GetReference(entries);
        if (Vector256.IsHardwareAccelerated && entries.Length >= Vector256<ulong>.Count)
        {
            var m = Vector256.Create(mask);
            var v = Vector256.Create(value);
            for (; i <= entries.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
                count += BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i) & m, v)));
        }
        else if (Vector128.IsHardwareAccelerated && entries.Length >= Vector128<ulong>.Count)
        {
            var m = Vector128.Create(mask);
            var v = Vector128.Create(value);
            for (; i <= entries.Length - Vector128<ulong>.Count; i += Vector128<ulong>.Count)
                count += BitOperations.PopCount(Vector128.ExtractMostSignificantBits(Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i) & m, v)));
        }
        for (; i < entries.Length; i++)
            if ((Unsafe.Add(ref first, i) & mask) == value) count++;
        return count;
    }

    /// <summary>
    /// Entries whose <paramref name="mask"/> bits equal <paramref name="value"/>, and in
    /// <paramref name="found"/> whether any entry's <paramref name="findMask"/> bits equal
    /// <paramref name="findValue"/>: two questions the audit asks of every leaf table, in one pass.
    /// </summary>
    public static int CountMasked(ReadOnlySpan<ulong> entries, ulong mask, ulong value, ulong findMask, ulong findValue, out bool found)
    {
        int i = 0, count = 0;
        ref ulong first = ref MemoryMarshal.GetReference(entries);
        found = false;
        if (Vector256.IsHardwareAccelerated && entries.Length >= Vector256<ulong>.Count)
        {
            var m = Vector256.Create(mask);
            var v = Vector256.Create(value);
            var fm = Vector256.Create(findMask);
            var fv = Vector256.Create(findValue);
            var hits = Vector256<ulong>.Zero;
            for (; i <= entries.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                var e = Vector256.LoadUnsafe(ref first, (nuint)i);
                count += BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.Equals(e & m, v)));
                hits |= Vector256.Equals(e & fm, fv);
            }
            found = hits != Vector256<ulong>.Zero;
        }
        else if (Vector128.IsHardwareAccelerated && entries.Length >= Vector128<ulong>.Count)
        {
            var m = Vector128.Create(mask);
            var v = Vector128.Create(value);
            var fm = Vector128.Create(findMask);
            var fv = Vector128.Create(findValue);
            var hits = Vector128<ulong>.Zero;
            for (; i <= entries.Length - Vector128<ulong>.Count; i += Vector128<ulong>.Count)
            {
                var e = Vector128.LoadUnsafe(ref first, (nuint)i);
                count += BitOperations.PopCount(Vector128.ExtractMostSignificantBits(Vector128.Equals(e & m, v)));
                hits |= Vector128.Equals(e & fm, fv);
            }
            found = hits != Vector128<ulong>.Zero;
        }
        for (; i < entries.Length; i++)
        {
            ulong e = Unsafe.Add(ref first, i);
            if ((e & mask) == value) count++;
            if ((e & findMask) == findValue) found = true;
        }
        return count;
    }

    /// <summary>Scalar reference of <see cref="CountMasked(ReadOnlySpan{ulong}, ulong, ulong)"/>.</summary>
    public static int CountMaskedScalar(ReadOnlySpan<ulong> entries, ulong mask, ulong value)
    {
        int count = 0;
        foreach (ulong e in entries)
            if ((e & mask) == value) count++;
        return count;
    }

    /// <summary>Non-zero entries: the used slots of a metadata page.</summary>
    public static int CountNonZero(ReadOnlySpan<ulong> entries) => entries.Length - CountMasked(entries, ulong.MaxValue, 0);
}
