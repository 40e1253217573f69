using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>The fields of a <see cref="FrameState"/>, in the order a comparison reports them.</summary>
internal enum FrameField : byte
{
    /// <summary>No field differs.</summary>
    None,
    /// <summary>The machine frame (invalid when unmapped).</summary>
    Mfn,
    /// <summary>The P2M type.</summary>
    Type,
    /// <summary>The order of the leaf that maps the frame.</summary>
    Order,
    /// <summary>The identity flag.</summary>
    Identity,
}

/// <summary>Field-by-field comparison of two frame states, shared by every check that looks at frames.</summary>
internal static class FrameFields
{
    /// <summary>The first field, in <see cref="FrameField"/> order, where <paramref name="a"/> and <paramref name="b"/> differ.</summary>
    public static FrameField FirstDifference(in FrameState a, in FrameState b)
    {
        if (a.Mfn != b.Mfn) return FrameField.Mfn;
        if (a.Type != b.Type) return FrameField.Type;
        if (a.Order != b.Order) return FrameField.Order;
        if (a.Identity != b.Identity) return FrameField.Identity;
        return FrameField.None;
    }

    /// <summary>The field's name in verdicts: <c>mfn</c>, <c>type</c>, <c>order</c>, <c>identity</c>.</summary>
    public static string Name(FrameField field) => field switch
    {
        FrameField.Mfn => "mfn",
        FrameField.Type => "type",
        FrameField.Order => "order",
        FrameField.Identity => "identity",
        _ => "none",
    };

    /// <summary>The field's value as the script format writes it.</summary>
    public static string Value(in FrameState state, FrameField field) => field switch
    {
        FrameField.Mfn => state.Mfn.ToString(),
        FrameField.Type => P2MTypes.Name(state.Type),
        FrameField.Order => state.Order.ToString(CultureInfo.InvariantCulture),
        FrameField.Identity => state.Identity ? "1" : "0",
        _ => "",
    };
}
