using System.Globalization;
using System.Text;
using P2M.Contract;

namespace P2M.Fuzz.Scripts;

/// <summary>
/// Writes operations, lines and whole scripts in the canonical <c>.p2m</c> form: GFNs, MFNs and
/// identity bounds in lowercase <c>0x</c> hexadecimal, counts, frames, orders and <c>done</c> in
/// decimal, keys in the order of the format page. <see cref="ScriptParser.Parse"/> reads back
/// exactly what this writes.
/// </summary>
public static class ScriptPrinter
{
    /// <summary>One operation as a script line, e.g. <c>map gfn=0x40 mfn=0x200 nr=64 type=ram_rw</c>.</summary>
    public static string Format(Op op) => op.Kind switch
    {
        OpKind.Map => $"map gfn={Hex(op.Gfn.Value)} mfn={Hex(op.Mfn.Value)} nr={Dec(op.Nr)} type={P2MTypes.Name(op.Type)}",
        OpKind.Unmap => $"unmap gfn={Hex(op.Gfn.Value)} nr={Dec(op.Nr)}",
        OpKind.Retype => $"retype gfn={Hex(op.Gfn.Value)} nr={Dec(op.Nr)} from={P2MTypes.Name(op.From)} to={P2MTypes.Name(op.To)}",
        OpKind.Identity => $"identity start={Hex(op.Start.Value)} end={Hex(op.End.Value)}",
        OpKind.Foreign => $"foreign gfn={Hex(op.Gfn.Value)} mfn={Hex(op.Mfn.Value)} access={(op.ReadOnly ? "ro" : "rw")}",
        OpKind.GrantSetup => $"grant-setup frames={Dec(op.Frames)}",
        OpKind.GrantMap => $"grant-map frame={Dec(op.Frame)} gfn={Hex(op.Gfn.Value)}",
        OpKind.Lookup => $"lookup gfn={Hex(op.Gfn.Value)}",
        OpKind.Translate => $"translate gfn={Hex(op.Gfn.Value)}",
        OpKind.FailAllocs => $"fail-allocs n={Dec(op.Count)}",
        OpKind.DirectMap => op.On ? "directmap on" : "directmap off",
        OpKind.Teardown => "teardown",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "unknown operation kind"),
    };

    /// <summary>One operation or expectation as a script line, without its line number.</summary>
    public static string Format(ScriptLine line) => line switch
    {
        OpLine l => Format(l.Op),
        ExpectFrame { State.IsMapped: false } e => $"expect gfn={Hex(e.Gfn.Value)} unmapped",
        ExpectFrame e => $"expect gfn={Hex(e.Gfn.Value)} mfn={Hex(e.State.Mfn.Value)} type={P2MTypes.Name(e.State.Type)} " +
                         $"order={Dec(e.State.Order)}{(e.State.Identity ? " identity=1" : "")}",
        ExpectRc e => $"expect-rc {ResultCodes.Name(e.Code)}{(e.Done is { } done ? $" done={Dec(done)}" : "")}",
        ExpectRefs e => $"expect-refs mfn={Hex(e.Mfn.Value)} count={Dec(e.Count)}",
        ExpectGrant e => $"expect-grant frame={Dec(e.Frame)} gfn={(e.Gfn.IsValid ? Hex(e.Gfn.Value) : "invalid")}",
        _ => throw new ArgumentException($"unknown script line {line.GetType().Name}", nameof(line)),
    };

    /// <summary>
    /// A whole script file: the header as <c>#</c> lines, the <c>geometry</c> line, <c>pool pages=</c>
    /// when set, then every line, each ending in <c>\n</c>.
    /// </summary>
    public static string Print(Script script)
    {
        var sb = new StringBuilder();
        foreach (string header in script.Header)
        {
            // A header entry holding line breaks becomes several comment lines rather than breaking the file.
            foreach (string part in header.Split('\n'))
            {
                string text = part.TrimEnd('\r');
                sb.Append(text.Length == 0 ? "#" : "# " + text).Append('\n');
            }
        }
        sb.Append("geometry ").Append(script.Geometry.Name).Append('\n');
        if (script.PoolPages is { } pages)
            sb.Append("pool pages=").Append(Dec(pages)).Append('\n');
        foreach (ScriptLine line in script.Lines)
            sb.Append(Format(line)).Append('\n');
        return sb.ToString();
    }

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Dec(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Dec(int value) => value.ToString(CultureInfo.InvariantCulture);
}
