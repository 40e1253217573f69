namespace P2M.Contract;

/// <summary>A guest frame number: guest-physical address >> 12.</summary>
public readonly record struct Gfn(ulong Value) : IComparable<Gfn>
{
    /// <summary>All ones: "no GFN" (Xen's <c>INVALID_GFN</c>), used for unrecorded grant frames.</summary>
    public static readonly Gfn Invalid = new(ulong.MaxValue);

    /// <summary>True unless this is <see cref="Invalid"/>.</summary>
    public bool IsValid => Value != ulong.MaxValue;

    /// <summary>The frame <paramref name="n"/> frames above this one.</summary>
    public static Gfn operator +(Gfn gfn, ulong n) => new(gfn.Value + n);

    /// <inheritdoc/>
    public int CompareTo(Gfn other) => Value.CompareTo(other.Value);

    /// <summary>Hexadecimal, as the script format writes it; "invalid" for <see cref="Invalid"/>.</summary>
    public override string ToString() => IsValid ? $"0x{Value:x}" : "invalid";
}
