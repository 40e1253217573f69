namespace P2M.Contract;

/// <summary>A machine frame number: host-physical address >> 12.</summary>
public readonly record struct Mfn(ulong Value) : IComparable<Mfn>
{
    /// <summary>All ones: what an unmapped frame reports (Xen's <c>INVALID_MFN</c>).</summary>
    public static readonly Mfn Invalid = new(ulong.MaxValue);

    /// <summary>True unless this is <see cref="Invalid"/>.</summary>
    public bool IsValid => Value != ulong.MaxValue;

    /// <summary>The frame <paramref name="n"/> frames above this one.</summary>
    public static Mfn operator +(Mfn mfn, ulong n) => new(mfn.Value + n);

    /// <inheritdoc/>
    public int CompareTo(Mfn other) => Value.CompareTo(other.Value);

    /// <summary>Hexadecimal, as the script format writes it; "invalid" for <see cref="Invalid"/>.</summary>
    public override string ToString() => IsValid ? $"0x{Value:x}" : "invalid";
}
