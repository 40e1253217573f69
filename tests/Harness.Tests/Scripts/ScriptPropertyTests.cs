using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2M.Contract;
using P2M.Fuzz.Scripts;

namespace P2M.Harness.Tests.Scripts;

/// <summary>Random scripts survive Print then Parse; a fixed seed keeps the run deterministic.</summary>
public class ScriptPropertyTests
{
    private static readonly ulong[] Edges =
        [0, 1, 7, 8, 0x7ff, 0x800, 0xfff, 0x1000, (1UL << 29) - 1, 1UL << 44, 1UL << 63, ulong.MaxValue - 1, ulong.MaxValue];

    private static readonly Gen<ulong> Word32 = Gen.Choose(0, ushort.MaxValue)
        .SelectMany(_ => Gen.Choose(0, ushort.MaxValue), (hi, lo) => ((ulong)(uint)hi << 16) | (uint)lo);

    private static readonly Gen<ulong> U64 = Gen.Frequency(
        (3, Gen.Choose(0, 64).Select(x => (ulong)x)),
        (3, Gen.Choose(0, 1 << 13).Select(x => (ulong)x)),
        (2, Gen.Elements(Edges)),
        (2, Word32.SelectMany(_ => Word32, (hi, lo) => (hi << 32) | lo)));

    private static readonly Gen<Gfn> Gfns = U64.Select(v => new Gfn(v));
    private static readonly Gen<Mfn> Mfns = U64.Select(v => new Mfn(v));
    private static readonly Gen<P2MType> Types = Gen.Elements(P2MTypes.All.ToArray());
    private static readonly Gen<bool> Bools = Gen.Elements(false, true);

    private static readonly Gen<Op> Ops = Gen.OneOf(
        Gfns.SelectMany(_ => Mfns, (g, m) => (g, m)).SelectMany(_ => U64, (gm, n) => (gm.g, gm.m, n))
            .SelectMany(_ => Types, (x, t) => Op.Map(x.g, x.m, x.n, t)),
        Gfns.SelectMany(_ => U64, (g, n) => Op.Unmap(g, n)),
        Gfns.SelectMany(_ => U64, (g, n) => (g, n)).SelectMany(_ => Types.Two(), (x, ft) => Op.Retype(x.g, x.n, ft.Item1, ft.Item2)),
        Gfns.Two().Select(se => Op.Identity(se.Item1, se.Item2)),
        Gfns.SelectMany(_ => Mfns, (g, m) => (g, m)).SelectMany(_ => Bools, (x, ro) => Op.Foreign(x.g, x.m, ro)),
        U64.Select(Op.GrantSetup),
        U64.SelectMany(_ => Gfns, (k, g) => Op.GrantMap(k, g)),
        Gfns.Select(Op.Lookup),
        Gfns.Select(Op.Translate),
        U64.Select(Op.FailAllocs),
        Bools.Select(Op.DirectMap),
        Gen.Constant(Op.Teardown()));

    private static readonly Gen<FrameState> MappedStates =
        Mfns.SelectMany(_ => Gen.Elements(P2MTypes.All.ToArray()[1..]), (m, t) => (m, t))
            .SelectMany(_ => Gen.Choose(0, ScriptParser.MaxOrder), (x, o) => (x.m, x.t, o))
            .SelectMany(_ => Bools, (x, id) => new FrameState(x.m, x.t, x.o, id));

    private static readonly Gen<ScriptLine> Lines = Gen.Frequency(
        (6, Ops.Select(op => (ScriptLine)new OpLine(0, op))),
        (1, Gfns.Select(g => (ScriptLine)new ExpectFrame(0, g, FrameState.Unmapped))),
        (2, Gfns.SelectMany(_ => MappedStates, (g, s) => (ScriptLine)new ExpectFrame(0, g, s))),
        (2, Gen.Elements(ResultCode.Ok, ResultCode.Einval, ResultCode.Enomem, ResultCode.Ebusy)
            .SelectMany(_ => Gen.OneOf(Gen.Constant((ulong?)null), U64.Select(d => (ulong?)d)), (c, d) => (ScriptLine)new ExpectRc(0, c, d))),
        (1, Mfns.SelectMany(_ => Gen.Choose(0, int.MaxValue), (m, c) => (ScriptLine)new ExpectRefs(0, m, c))),
        (1, U64.SelectMany(_ => Gen.OneOf(Gfns, Gen.Constant(Gfn.Invalid)), (k, g) => (ScriptLine)new ExpectGrant(0, k, g))));

    // Header text: anything on one line, comment characters and leading spaces included.
    private static readonly Gen<string> HeaderTexts = Gen.Frequency(
        (1, Gen.Constant("")),
        (6, Gen.Elements(" ", "#", "=", "\t", "a", "Z", "0", "x", "é", "crash", " gfn=0x1")
            .NonEmptyListOf().Select(parts => string.Concat(parts))));

    private static readonly Gen<List<string>> Headers =
        Gen.Choose(0, 4).SelectMany(n => HeaderTexts.ListOf(n), (_, texts) => texts.ToList());

    private static readonly Gen<Script> Scripts =
        Gen.Elements(Geometry.Mini, Geometry.Real)
            .SelectMany(_ => Gen.OneOf(Gen.Constant((int?)null), Gen.Choose(ScriptParser.MinPoolPages, ScriptParser.MaxPoolPages).Select(p => (int?)p)),
                (g, p) => (g, p))
            .SelectMany(_ => Headers, (gp, h) => (gp.g, gp.p, h))
            .SelectMany(_ => Lines.ListOf(), (x, lines) => new Script("random.p2m", x.g, x.p, x.h, lines.ToList()));

    /// <summary>The fixed seed of these <c>[Property]</c> tests (0x5eed2024, 0x9e3779b97f4a7c15), so every run checks the same scripts.</summary>
    private const string Replay = "(1592598564, 11400714819323198485)";

    [Property(MaxTest = 500, Replay = Replay)]
    public Property Print_then_parse_gives_back_the_same_script()
    {
        return Prop.ForAll(Arb.From(Scripts), script =>
        {
            string printed = ScriptPrinter.Print(script);
            Script back = ScriptParser.Parse(printed, "printed.p2m");
            return ScriptContent.Same(script, back) && ScriptPrinter.Print(back) == printed;
        });
    }

    [Property(MaxTest = 2000, Replay = Replay)]
    public Property Every_op_formats_to_one_line_that_parses_back_to_it()
    {
        return Prop.ForAll(Arb.From(Ops), op =>
        {
            string line = ScriptPrinter.Format(op);
            return !line.Contains('\n') && Assert.IsType<OpLine>(Assert.Single(ScriptParser.Parse(line, "op.p2m").Lines)).Op == op;
        });
    }
}
