using P2M.Contract;

namespace P2M.Fuzz.Codec;

/// <summary>
/// One operation as bytes: an opcode byte, then the kind's argument fields in the order the script
/// format writes its keys, each folded by <see cref="FieldFolds"/>. The size of a record depends
/// only on its kind and the geometry, so the decoder can measure a record before reading it.
/// </summary>
internal static class OpRecords
{
    /// <summary>Number of operation kinds; the opcode byte is read modulo this.</summary>
    public const int Kinds = (int)OpKind.Teardown + 1;

    /// <summary>The kind an opcode byte names: any byte names one, unknown values wrap around.</summary>
    public static OpKind KindOf(byte opcode) => (OpKind)(opcode % Kinds);

    /// <summary>Bytes of a record of <paramref name="kind"/>, opcode included.</summary>
    public static int Size(OpKind kind, in FieldFolds f) => 1 + kind switch
    {
        OpKind.Map => f.Gfn.Width + f.Mfn.Width + f.Nr.Width + 1,
        OpKind.Unmap => f.Gfn.Width + f.Nr.Width,
        OpKind.Retype => f.Gfn.Width + f.Nr.Width + 1 + 1,
        OpKind.Identity => f.Gfn.Width + f.Nr.Width,
        OpKind.Foreign => f.Gfn.Width + f.Mfn.Width + f.Flag.Width,
        OpKind.GrantSetup => f.GrantFrames.Width,
        OpKind.GrantMap => f.GrantFrame.Width + f.Gfn.Width,
        OpKind.Lookup or OpKind.Translate => f.Gfn.Width,
        OpKind.FailAllocs => f.FailAllocs.Width,
        OpKind.DirectMap => f.Flag.Width,
        _ => 0,
    };

    /// <summary>Reads one whole record; the caller has checked that <see cref="Size"/> bytes remain.</summary>
    public static Op Read(ref ByteReader r, in FieldFolds f)
    {
        // Arguments are evaluated left to right (C# guarantees it), which is the field order.
        return KindOf(r.ReadByte()) switch
        {
            OpKind.Map => Op.Map(new Gfn(f.Gfn.Read(ref r)), new Mfn(f.Mfn.Read(ref r)), f.Nr.Read(ref r), TypeFold.Read(ref r)),
            OpKind.Unmap => Op.Unmap(new Gfn(f.Gfn.Read(ref r)), f.Nr.Read(ref r)),
            OpKind.Retype => Op.Retype(new Gfn(f.Gfn.Read(ref r)), f.Nr.Read(ref r), TypeFold.Read(ref r), TypeFold.Read(ref r)),
            OpKind.Identity => ReadIdentity(ref r, f),
            OpKind.Foreign => Op.Foreign(new Gfn(f.Gfn.Read(ref r)), new Mfn(f.Mfn.Read(ref r)), readOnly: f.Flag.Read(ref r) == 1),
            OpKind.GrantSetup => Op.GrantSetup(f.GrantFrames.Read(ref r)),
            OpKind.GrantMap => Op.GrantMap(f.GrantFrame.Read(ref r), new Gfn(f.Gfn.Read(ref r))),
            OpKind.Lookup => Op.Lookup(new Gfn(f.Gfn.Read(ref r))),
            OpKind.Translate => Op.Translate(new Gfn(f.Gfn.Read(ref r))),
            OpKind.FailAllocs => Op.FailAllocs(f.FailAllocs.Read(ref r)),
            OpKind.DirectMap => Op.DirectMap(on: f.Flag.Read(ref r) == 1),
            _ => Op.Teardown(),
        };
    }

    /// <summary>
    /// identity is stored as its start and its length, so its cost is bounded like any range's; the
    /// length 2^64 - 1 makes <c>end = start - 1</c>, the backwards range.
    /// </summary>
    private static Op ReadIdentity(ref ByteReader r, in FieldFolds f)
    {
        ulong start = f.Gfn.Read(ref r);
        ulong length = f.Nr.Read(ref r);
        return Op.Identity(new Gfn(start), new Gfn(unchecked(start + length)));
    }

    /// <summary>Writes one record; <see cref="ArgumentException"/> naming the key when a value is outside its fold.</summary>
    public static void Write(ByteWriter w, Op op, in FieldFolds f)
    {
        w.WriteByte((byte)op.Kind);
        switch (op.Kind)
        {
            case OpKind.Map:
                f.Gfn.Write(w, op.Gfn.Value, "gfn");
                f.Mfn.Write(w, op.Mfn.Value, "mfn");
                f.Nr.Write(w, op.Nr, "nr");
                TypeFold.Write(w, op.Type, "type");
                break;
            case OpKind.Unmap:
                f.Gfn.Write(w, op.Gfn.Value, "gfn");
                f.Nr.Write(w, op.Nr, "nr");
                break;
            case OpKind.Retype:
                f.Gfn.Write(w, op.Gfn.Value, "gfn");
                f.Nr.Write(w, op.Nr, "nr");
                TypeFold.Write(w, op.From, "from");
                TypeFold.Write(w, op.To, "to");
                break;
            case OpKind.Identity:
                f.Gfn.Write(w, op.Start.Value, "start");
                f.Nr.Write(w, unchecked(op.End.Value - op.Start.Value), "end - start");
                break;
            case OpKind.Foreign:
                f.Gfn.Write(w, op.Gfn.Value, "gfn");
                f.Mfn.Write(w, op.Mfn.Value, "mfn");
                f.Flag.Write(w, op.ReadOnly ? 1UL : 0UL, "access");
                break;
            case OpKind.GrantSetup:
                f.GrantFrames.Write(w, op.Frames, "frames");
                break;
            case OpKind.GrantMap:
                f.GrantFrame.Write(w, op.Frame, "frame");
                f.Gfn.Write(w, op.Gfn.Value, "gfn");
                break;
            case OpKind.Lookup:
            case OpKind.Translate:
                f.Gfn.Write(w, op.Gfn.Value, "gfn");
                break;
            case OpKind.FailAllocs:
                f.FailAllocs.Write(w, op.Count, "n");
                break;
            case OpKind.DirectMap:
                f.Flag.Write(w, op.On ? 1UL : 0UL, "directmap");
                break;
            case OpKind.Teardown:
                break;
            default:
                throw new ArgumentException($"unknown operation kind {op.Kind}", nameof(op));
        }
    }
}
