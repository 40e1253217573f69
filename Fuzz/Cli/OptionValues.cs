using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using P2M.Fuzz.Inputs;

namespace P2M.Fuzz.Cli;

/// <summary>
/// The one way every command defines a numeric option: the value is parsed here, range included, and
/// anything else (not a number, out of range, not finite) is a parse error, so the command line reports
/// it in one line and exits 2 (usage) before anything runs. Nothing is clamped.
/// </summary>
/// <remarks>
/// System.CommandLine's own conversion leaves a token that does not parse to be found when the value is
/// read, and reading it then throws (a stack trace, exit 134); a custom parser reports it as a parse error
/// instead. Whole numbers are decimal or <c>0x</c> hexadecimal, as in scripts and crash headers.
/// </remarks>
internal static class OptionValues
{
    /// <summary>An option holding a whole number in [<paramref name="min"/>, <paramref name="max"/>], <paramref name="defaultValue"/> when not given.</summary>
    public static Option<T> Whole<T>(string name, string description, T min, T max, T defaultValue)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseWhole(result, name, min, max) ?? default;
        return option;
    }

    /// <summary>An option holding a whole number in [<paramref name="min"/>, <paramref name="max"/>], null when not given.</summary>
    public static Option<T?> OptionalWhole<T>(string name, string description, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T?>(name) { Description = description };
        option.CustomParser = result => ParseWhole(result, name, min, max);
        return option;
    }

    /// <summary>An option holding a number of seconds above 0 and at most <paramref name="max"/>, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<double> Seconds(string name, string description, double max, double defaultValue)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseSeconds(result, name, max) ?? default;
        return option;
    }

    /// <summary>An option holding a number of seconds above 0 and at most <paramref name="max"/>, null when not given.</summary>
    public static Option<double?> OptionalSeconds(string name, string description, double max)
    {
        var option = new Option<double?>(name) { Description = description };
        option.CustomParser = result => ParseSeconds(result, name, max);
        return option;
    }

    private static T? ParseWhole<T>(ArgumentResult result, string name, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        string expected = max == T.MaxValue
            ? $"a whole number of at least {min}"
            : $"a whole number from {min} to {max}";
        if (SingleToken(result) is not string token)
            return null;
        if (!TryParseWhole(token, out BigInteger value) || value < BigInteger.CreateChecked(min) || value > BigInteger.CreateChecked(max))
        {
            result.AddError($"{name}: expected {expected}, found {InputExcerpt.Quote(token)}");
            return null;
        }
        return T.CreateChecked(value);
    }

    private static double? ParseSeconds(ArgumentResult result, string name, double max)
    {
        if (SingleToken(result) is not string token)
            return null;
        if (!double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds) || seconds <= 0 || seconds > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture,
                $"{name}: expected a number of seconds above 0 and at most {max}, found {InputExcerpt.Quote(token)}"));
            return null;
        }
        return seconds;
    }

    // Arity is one value per option; System.CommandLine reports a missing or extra value itself.
    private static string? SingleToken(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : null;

    /// <summary>Decimal digits with an optional <c>-</c>, or <c>0x</c> and hexadecimal digits.</summary>
    private static bool TryParseWhole(string token, out BigInteger value)
    {
        value = BigInteger.Zero;
        bool negative = token.StartsWith('-');
        ReadOnlySpan<char> digits = token.AsSpan(negative ? 1 : 0);
        bool hex = !negative && digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex) digits = digits[2..];
        if (digits.IsEmpty || digits.ContainsAnyExcept(hex ? "0123456789abcdefABCDEF" : "0123456789"))
            return false;
        digits = digits.TrimStart('0');
        if (digits.IsEmpty)
            return true;
        // Past 40 digits a number is out of every range here; parsing a million of them would only cost time.
        if (digits.Length > 40)
            value = BigInteger.Pow(10, 41);
        else if (hex)
            value = BigInteger.Parse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture); // the 0 keeps it unsigned
        else
            value = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative) value = -value;
        return true;
    }
}
