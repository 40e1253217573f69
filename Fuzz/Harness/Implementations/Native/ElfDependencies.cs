using System.Buffers.Binary;
using System.Text;

namespace P2M.Fuzz.Implementations.Native;

/// <summary>
/// The shared libraries an ELF64 little-endian file names in its dynamic section (<c>DT_NEEDED</c>) and
/// where it asks the loader to look (<c>DT_RUNPATH</c>/<c>DT_RPATH</c>), read from the file without
/// loading it: a sanitizer runtime among them must be in the process before the library is.
/// </summary>
internal sealed record ElfDependencies(IReadOnlyList<string> Needed, IReadOnlyList<string> SearchPaths)
{
    private const uint PtLoad = 1, PtDynamic = 2;
    private const long DtNull = 0, DtNeeded = 1, DtStrtab = 5, DtRpath = 15, DtRunpath = 29;

    /// <summary>The dependencies of the file at <paramref name="path"/>, or null when it is not an ELF64 little-endian file.</summary>
    public static ElfDependencies? Read(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            return null;
        ulong phoff = U64(elf, 0x20);
        int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        var loads = new List<(ulong Vaddr, ulong Offset, ulong Size)>();
        (ulong Offset, ulong Size)? dynamic = null;
        for (int i = 0; i < phnum; i++)
        {
            int at = checked((int)phoff + i * phentsize);
            if (at + 56 > elf.Length) return null;
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(at));
            if (type == PtLoad) loads.Add((U64(elf, at + 0x10), U64(elf, at + 0x08), U64(elf, at + 0x20)));
            if (type == PtDynamic) dynamic = (U64(elf, at + 0x08), U64(elf, at + 0x20));
        }
        if (dynamic is null) return new ElfDependencies([], []);

        var needed = new List<long>();
        var paths = new List<long>();
        ulong strtab = 0;
        for (ulong at = dynamic.Value.Offset; at + 16 <= dynamic.Value.Offset + dynamic.Value.Size && at + 16 <= (ulong)elf.Length; at += 16)
        {
            long tag = (long)U64(elf, (int)at);
            ulong value = U64(elf, (int)at + 8);
            if (tag == DtNull) break;
            if (tag == DtNeeded) needed.Add((long)value);
            else if (tag is DtRpath or DtRunpath) paths.Add((long)value);
            else if (tag == DtStrtab) strtab = value;
        }
        // DT_STRTAB is an address: find the file offset of the segment that holds it.
        ulong? table = null;
        foreach ((ulong vaddr, ulong offset, ulong size) in loads)
            if (strtab >= vaddr && strtab < vaddr + size) table = strtab - vaddr + offset;
        if (table is null) return new ElfDependencies([], []);
        string Text(long offset) => CString(elf, (long)table.Value + offset);
        return new ElfDependencies(needed.Select(Text).ToArray(),
            paths.SelectMany(p => Text(p).Split(':', StringSplitOptions.RemoveEmptyEntries)).ToArray());
    }

    private static ulong U64(byte[] elf, int at) => BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(at));

    private static string CString(byte[] elf, long at)
    {
        if (at < 0 || at >= elf.Length) return "";
        int end = Array.IndexOf(elf, (byte)0, (int)at);
        return Encoding.UTF8.GetString(elf, (int)at, (end < 0 ? elf.Length : end) - (int)at);
    }
}
