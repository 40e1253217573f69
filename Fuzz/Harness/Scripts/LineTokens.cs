using System.Globalization;
using P2M.Contract;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Scripts;

/// <summary>
/// The tokens of one script line after its word: <c>key=value</c> pairs and bare words, with typed
/// readers that take each one at most once and throw <see cref="ScriptParseException"/> on anything
/// malformed. <see cref="Finish"/> rejects whatever was never taken (unknown keys, trailing junk).
/// </summary>
internal sealed class LineTokens
{
    private static readonly string TypeNames = string.Join(", ", P2MTypes.All.ToArray().Select(P2MTypes.Name));

    private readonly string _path;
    private readonly int _line;
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _keyOrder = [];
    private readonly List<string> _bare = [];

    private LineTokens(string path, int line, string word)
    {
        _path = path;
        _line = line;
        Word = word;
    }

    /// <summary>The line's first word: the operation, expectation or header name.</summary>
    public string Word { get; }

    /// <summary>Splits <paramref name="code"/> (a line with its comment removed, not blank) into tokens.</summary>
    public static LineTokens Split(string path, int line, string code)
    {
        string[] parts = code.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var tokens = new LineTokens(path, line, parts[0]);
        foreach (string part in parts.AsSpan(1))
        {
            int eq = part.IndexOf('=');
            if (eq < 0)
            {
                tokens._bare.Add(part);
                continue;
            }
            string key = part[..eq];
            if (key.Length == 0)
                throw tokens.Error($"expected key=value, found {InputExcerpt.Quote(part)}");
            if (!tokens._keys.TryAdd(key, part[(eq + 1)..]))
                throw tokens.Error($"expected each key once, found {InputExcerpt.Quote(key + "=")} twice");
            tokens._keyOrder.Add(key);
        }
        return tokens;
    }

    /// <summary>True when <paramref name="key"/> is present and not yet taken.</summary>
    public bool Has(string key) => _keys.ContainsKey(key);

    /// <summary>True when the bare word <paramref name="word"/> is present; takes it.</summary>
    public bool TakeBare(string word) => _bare.Remove(word);

    /// <summary>Takes the single bare word this line must have, e.g. <c>on</c> in <c>directmap on</c>.</summary>
    public string Bare(string what)
    {
        if (_bare.Count == 0)
            throw Error($"expected {what} after {Word}, found {(_keyOrder.Count > 0 ? InputExcerpt.Quote(_keyOrder[0] + "=") : "nothing")}");
        string word = _bare[0];
        _bare.RemoveAt(0);
        return word;
    }

    /// <summary>Takes a required key's raw value.</summary>
    public string Text(string key)
    {
        if (!_keys.Remove(key, out string? value))
            throw Error($"expected {key}= for {Word}, found none");
        return value;
    }

    /// <summary>Takes a required number: decimal or <c>0x</c> hexadecimal, fitting in 64 bits.</summary>
    public ulong Number(string key) => ParseNumber(key, Text(key));

    /// <summary>Takes a required number that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int min, int max)
    {
        ulong value = Number(key);
        if (value < (ulong)min || value > (ulong)max)
            throw Error($"expected {key} between {min} and {max}, found {value}");
        return (int)value;
    }

    /// <summary>Takes an optional number; null when the key is absent.</summary>
    public ulong? OptionalNumber(string key) => Has(key) ? Number(key) : null;

    /// <summary>Takes a required GFN.</summary>
    public Gfn Gfn(string key) => new(Number(key));

    /// <summary>Takes a required MFN.</summary>
    public Mfn Mfn(string key) => new(Number(key));

    /// <summary>Takes a required type name, any of the defined names.</summary>
    public P2MType Type(string key)
    {
        string text = Text(key);
        if (!P2MTypes.TryParse(text, out P2MType type))
            throw Error($"expected a type name ({TypeNames}) for {key}, found {InputExcerpt.Quote(text)}");
        return type;
    }

    /// <summary>Takes a required key whose value must be one of <paramref name="choices"/>.</summary>
    public string Choice(string key, params string[] choices)
    {
        string text = Text(key);
        if (Array.IndexOf(choices, text) < 0)
            throw Error($"expected {key}={string.Join('|', choices)}, found {InputExcerpt.Quote(text)}");
        return text;
    }

    /// <summary>
    /// Rejects every key and bare word not taken: the line is fully read. <paramref name="usage"/> is the
    /// line's form for the message, e.g. <c>unmap gfn=G nr=N</c>.
    /// </summary>
    public void Finish(string usage)
    {
        foreach (string key in _keyOrder)
        {
            if (_keys.TryGetValue(key, out string? value))
                throw Error($"expected {usage}, found unknown key {InputExcerpt.Quote(key + "=" + value)}");
        }
        if (_bare.Count > 0)
            throw Error($"expected {usage}, found trailing {InputExcerpt.Quote(_bare[0])}");
    }

    /// <summary>A parse error on this line.</summary>
    public ScriptParseException Error(string detail) => new(_path, _line, detail);

    /// <summary>Parses a decimal or <c>0x</c> hexadecimal number for <paramref name="key"/>.</summary>
    public ulong ParseNumber(string key, string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.Ordinal);
        string digits = hex ? text[2..] : text;
        bool wellFormed = digits.Length > 0 && digits.All(hex ? char.IsAsciiHexDigit : char.IsAsciiDigit);
        if (!wellFormed)
            throw Error($"expected a decimal or 0x hexadecimal number for {key}, found {InputExcerpt.Quote(text)}");
        NumberStyles style = hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out ulong value))
            throw Error($"expected a number below 2^64 for {key}, found {InputExcerpt.Quote(text)}");
        return value;
    }
}
