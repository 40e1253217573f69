using System.Globalization;
using P2M.Contract;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Scripts;

/// <summary>
/// Reads <c>.p2m</c> scripts (see <c>SCRIPT-FORMAT.md</c>). Strict: the first line that does not follow
/// the format throws <see cref="ScriptParseException"/>, so nothing of a malformed script ever runs.
/// Values are range-checked only where the format itself bounds them (pool size, orders, counts);
/// GFNs, MFNs and types outside what an operation allows are the implementations' business (<c>EINVAL</c>).
/// What a script may cost is bounded by <see cref="InputLimits"/> (file size, line length, operations,
/// frames); text quoted from the script in an error is a short escaped excerpt (<see cref="InputExcerpt"/>).
/// </summary>
public static class ScriptParser
{
    /// <summary>Smallest <c>pool pages=</c>: the root's pages.</summary>
    public const int MinPoolPages = Geometry.RootPages;

    /// <summary>Largest <c>pool pages=</c> (2^22 pages, 16 GiB of tables).</summary>
    public const int MaxPoolPages = 1 << 22;

    /// <summary>Largest <c>order=</c> an expectation may name: a block inside a 64-bit frame space.</summary>
    public const int MaxOrder = 63;

    // Every line form, by word: the text of "expected ..." when a line does not match it.
    private static readonly Dictionary<string, string> Usage = new(StringComparer.Ordinal)
    {
        ["map"] = "map gfn=G mfn=M nr=N type=T",
        ["unmap"] = "unmap gfn=G nr=N",
        ["retype"] = "retype gfn=G nr=N from=T to=T",
        ["identity"] = "identity start=G end=G",
        ["foreign"] = "foreign gfn=G mfn=M access=rw|ro",
        ["grant-setup"] = "grant-setup frames=N",
        ["grant-map"] = "grant-map frame=K gfn=G",
        ["lookup"] = "lookup gfn=G",
        ["translate"] = "translate gfn=G",
        ["fail-allocs"] = "fail-allocs n=N",
        ["directmap"] = "directmap on|off",
        ["teardown"] = "teardown",
        ["expect"] = "expect gfn=G mfn=M type=T order=O [identity=1]",
        ["expect-rc"] = "expect-rc ok|EINVAL|ENOMEM|EBUSY [done=N]",
        ["expect-refs"] = "expect-refs mfn=M count=C",
        ["expect-grant"] = "expect-grant frame=K gfn=G|invalid",
        ["geometry"] = "geometry mini|real",
        ["pool"] = "pool pages=N",
    };

    private static readonly string Words = string.Join(", ", Usage.Keys.Where(w => w is not ("geometry" or "pool")));

    /// <summary>
    /// Reads the script file at <paramref name="path"/> within <paramref name="limits"/> (the defaults when
    /// null): a regular file of at most <see cref="InputLimits.MaxFileBytes"/>, read through <see cref="InputFile"/>.
    /// </summary>
    /// <exception cref="ScriptParseException">On the first line that does not follow the format or is over a limit.</exception>
    /// <exception cref="IOException">The file cannot be read, is not a regular file, or is too large (<see cref="InputFileException"/>).</exception>
    public static Script ParseFile(string path, InputLimits? limits = null)
    {
        limits ??= InputLimits.Default;
        return Parse(InputFile.ReadAllText(path, limits), path, limits);
    }

    /// <summary>
    /// Parses <paramref name="text"/>; <paramref name="path"/> names it in the result and in errors.
    /// The comment lines that open the file, up to the first blank or other line, become <see cref="Script.Header"/>.
    /// </summary>
    /// <param name="text">The script.</param>
    /// <param name="path">Its name, for the result and the errors.</param>
    /// <param name="limits">Line length, operation and frame limits; the defaults when null.</param>
    /// <exception cref="ScriptParseException">On the first line that does not follow the format or is over a limit.</exception>
    public static Script Parse(string text, string path, InputLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= InputLimits.Default;
        Geometry geometry = Geometry.Mini;
        int? poolPages = null;
        int geometryLine = 0, poolLine = 0;
        var header = new List<string>();
        var lines = new List<ScriptLine>();
        bool inHeader = true;
        int ops = 0;
        ulong frames = 0;

        int number = 0;
        for (int start = 0; start <= text.Length; )
        {
            number++;
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline;
            ReadOnlySpan<char> raw = text.AsSpan(start, end - start);
            start = end + 1;
            if (raw.EndsWith("\r")) raw = raw[..^1];
            // Checked before the line is copied or split: a 1 MiB line costs nothing more than its bytes.
            if (raw.Length > limits.MaxLineLength)
                throw new ScriptParseException(path, number, string.Create(CultureInfo.InvariantCulture,
                    $"line is longer than {limits.MaxLineLength} characters (raise with {InputLimits.MaxLineLengthFlag})"));
            string source = raw.ToString();
            int hash = source.IndexOf('#');
            string code = hash < 0 ? source : source[..hash];
            if (string.IsNullOrWhiteSpace(code))
            {
                if (hash < 0)
                    inHeader = false;
                else if (inHeader)
                    header.Add(CommentText(source[(hash + 1)..]));
                continue;
            }
            inHeader = false;

            LineTokens tokens = LineTokens.Split(path, number, code);
            switch (tokens.Word)
            {
                case "geometry":
                    CheckSetting(tokens, lines, geometryLine);
                    string name = tokens.Bare("mini or real");
                    if (!Geometry.TryParse(name, out geometry))
                        throw tokens.Error($"expected geometry mini or real, found {InputExcerpt.Quote(name)}");
                    tokens.Finish(Usage["geometry"]);
                    geometryLine = number;
                    break;
                case "pool":
                    CheckSetting(tokens, lines, poolLine);
                    poolPages = tokens.Int("pages", MinPoolPages, MaxPoolPages);
                    tokens.Finish(Usage["pool"]);
                    poolLine = number;
                    break;
                default:
                    ScriptLine line = ParseLine(tokens, number);
                    if (line is OpLine op)
                        CountOp(tokens, op.Op, geometry, limits, ref ops, ref frames);
                    lines.Add(line);
                    break;
            }
        }
        return new Script(path, geometry, poolPages, header, lines);
    }

    /// <summary>Counts one operation against the operation and frame limits (see <see cref="InputLimits"/>).</summary>
    private static void CountOp(LineTokens tokens, in Op op, Geometry geometry, InputLimits limits, ref int ops, ref ulong frames)
    {
        if (++ops > limits.MaxOps)
            throw tokens.Error(string.Create(CultureInfo.InvariantCulture,
                $"more than {limits.MaxOps} operations (raise with {InputLimits.MaxOpsFlag})"));
        ulong asked = InputFrames.Of(op, geometry);
        // frames never exceeds the limit, so the subtraction cannot wrap.
        if (asked > limits.MaxFrames - frames)
            throw tokens.Error(string.Create(CultureInfo.InvariantCulture,
                $"operations name more than {limits.MaxFrames} frames (raise with {InputLimits.MaxFramesFlag})"));
        frames += asked;
    }

    /// <summary>Header settings come before any operation or expectation, at most once each.</summary>
    private static void CheckSetting(LineTokens tokens, List<ScriptLine> lines, int previousLine)
    {
        if (lines.Count > 0)
            throw tokens.Error($"expected {tokens.Word} before any operation or expectation, found it after line {lines[^1].Line}");
        if (previousLine != 0)
            throw tokens.Error($"expected at most one {tokens.Word} line, found a second (the first is line {previousLine})");
    }

    private static ScriptLine ParseLine(LineTokens t, int line)
    {
        if (!Usage.TryGetValue(t.Word, out string? form))
            throw t.Error($"expected an operation or expectation ({Words}), found {InputExcerpt.Quote(t.Word)}");
        string usage = form;

        ScriptLine result = t.Word switch
        {
            "map" => new OpLine(line, Op.Map(t.Gfn("gfn"), t.Mfn("mfn"), t.Number("nr"), t.Type("type"))),
            "unmap" => new OpLine(line, Op.Unmap(t.Gfn("gfn"), t.Number("nr"))),
            "retype" => new OpLine(line, Op.Retype(t.Gfn("gfn"), t.Number("nr"), t.Type("from"), t.Type("to"))),
            "identity" => new OpLine(line, Op.Identity(t.Gfn("start"), t.Gfn("end"))),
            "foreign" => new OpLine(line, Op.Foreign(t.Gfn("gfn"), t.Mfn("mfn"), t.Choice("access", "rw", "ro") == "ro")),
            "grant-setup" => new OpLine(line, Op.GrantSetup(t.Number("frames"))),
            "grant-map" => new OpLine(line, Op.GrantMap(t.Number("frame"), t.Gfn("gfn"))),
            "lookup" => new OpLine(line, Op.Lookup(t.Gfn("gfn"))),
            "translate" => new OpLine(line, Op.Translate(t.Gfn("gfn"))),
            "fail-allocs" => new OpLine(line, Op.FailAllocs(t.Number("n"))),
            "directmap" => new OpLine(line, Op.DirectMap(OnOff(t))),
            "teardown" => new OpLine(line, Op.Teardown()),
            "expect" => ParseExpectFrame(t, line, ref usage),
            "expect-rc" => new ExpectRc(line, Code(t), t.OptionalNumber("done")),
            "expect-refs" => new ExpectRefs(line, t.Mfn("mfn"), t.Int("count", 0, int.MaxValue)),
            "expect-grant" => new ExpectGrant(line, t.Number("frame"), GrantGfn(t)),
            _ => throw t.Error($"expected an operation or expectation ({Words}), found {InputExcerpt.Quote(t.Word)}"),
        };
        t.Finish(usage);
        return result;
    }

    /// <summary><c>expect gfn=G unmapped</c> or <c>expect gfn=G mfn=M type=T order=O [identity=0|1]</c>.</summary>
    private static ExpectFrame ParseExpectFrame(LineTokens t, int line, ref string usage)
    {
        Gfn gfn = t.Gfn("gfn");
        if (t.TakeBare("unmapped"))
        {
            usage = "expect gfn=G unmapped";
            return new ExpectFrame(line, gfn, FrameState.Unmapped);
        }
        Mfn mfn = t.Mfn("mfn");
        P2MType type = t.Type("type");
        if (type == P2MType.Invalid)
            throw t.Error("expected a mapped type for type (write 'expect gfn=G unmapped' for none), found 'invalid'");
        int order = t.Int("order", 0, MaxOrder);
        bool identity = t.Has("identity") && t.Int("identity", 0, 1) == 1;
        return new ExpectFrame(line, gfn, new FrameState(mfn, type, order, identity));
    }

    private static bool OnOff(LineTokens t)
    {
        string word = t.Bare("on or off");
        return word switch
        {
            "on" => true,
            "off" => false,
            _ => throw t.Error($"expected directmap on or off, found {InputExcerpt.Quote(word)}"),
        };
    }

    private static ResultCode Code(LineTokens t)
    {
        string word = t.Bare("a result code (ok, EINVAL, ENOMEM, EBUSY)");
        if (!ResultCodes.TryParse(word, out ResultCode code))
            throw t.Error($"expected a result code (ok, EINVAL, ENOMEM, EBUSY), found {InputExcerpt.Quote(word)}");
        return code;
    }

    private static Gfn GrantGfn(LineTokens t)
    {
        string text = t.Text("gfn");
        return text == "invalid" ? Gfn.Invalid : new Gfn(t.ParseNumber("gfn", text));
    }

    /// <summary>A comment's text: what follows <c>#</c>, less one leading space.</summary>
    private static string CommentText(string afterHash) => afterHash.StartsWith(' ') ? afterHash[1..] : afterHash;
}
