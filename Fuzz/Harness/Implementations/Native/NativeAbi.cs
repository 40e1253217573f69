using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// The structs of <c>Targets/Native/include/p2m_impl.h</c>, byte for byte: blittable, so the harness passes
/// pointers to its own stack or arrays and nothing is marshalled or allocated per step.
/// </summary>
internal static class NativeAbi
{
    /// <summary><c>P2M_IMPL_ABI_VERSION</c>: the only version this harness speaks.</summary>
    public const uint Version = 1;

    /// <summary><c>P2M_INVALID_FRAME</c>.</summary>
    public const ulong InvalidFrame = ulong.MaxValue;

    /// <summary><c>P2M_AUDIT_STEP</c>, <c>P2M_AUDIT_FULL</c>.</summary>
    public const uint AuditStep = 0, AuditFull = 1;
}

/// <summary><c>p2m_geometry</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeGeometry
{
    public uint EntryBits, GfnBits, MfnBits, MaxGrantFrames;
}

/// <summary><c>p2m_op</c>: kind, type, to, 5 reserved bytes, then a, b, c.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct NativeOp
{
    [FieldOffset(0)] public byte Kind;
    [FieldOffset(1)] public byte Type;
    [FieldOffset(2)] public byte To;
    [FieldOffset(8)] public ulong A;
    [FieldOffset(16)] public ulong B;
    [FieldOffset(24)] public ulong C;
}

/// <summary><c>p2m_frame</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct NativeFrame
{
    [FieldOffset(0)] public ulong Mfn;
    [FieldOffset(8)] public byte Type;
    [FieldOffset(9)] public byte Order;
    [FieldOffset(10)] public byte Identity;
}

/// <summary><c>p2m_result</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct NativeResult
{
    [FieldOffset(0)] public byte Code;
    [FieldOffset(8)] public ulong Done;
    [FieldOffset(16)] public NativeFrame Frame;
}

/// <summary><c>p2m_run</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct NativeRun
{
    [FieldOffset(0)] public ulong Gfn;
    [FieldOffset(8)] public ulong Count;
    [FieldOffset(16)] public ulong Mfn;
    [FieldOffset(24)] public byte Type;
    [FieldOffset(25)] public byte Order;
    [FieldOffset(26)] public byte Identity;
}

/// <summary><c>p2m_type_storage</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeTypeStorage
{
    public byte PteBits, Slot;
}

/// <summary><c>p2m_violation</c>: three NUL-terminated texts.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeViolation
{
    public FieldText Field;
    public ExpectedText Expected;
    public ActualText Actual;

    [InlineArray(64)]
    public struct FieldText { private byte _first; }

    [InlineArray(128)]
    public struct ExpectedText { private byte _first; }

    [InlineArray(128)]
    public struct ActualText { private byte _first; }

    /// <summary>The text up to its NUL (or the whole buffer, when the library forgot one).</summary>
    public static string Text(ReadOnlySpan<byte> buffer)
    {
        int end = buffer.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
    }
}
