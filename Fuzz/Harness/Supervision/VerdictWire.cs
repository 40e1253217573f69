using System.Text.Json.Nodes;
using P2M.Contract;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// A <see cref="Verdict"/> as JSON, to cross from a child process to its supervisor whole: kind, step,
/// line, the operation as a script line, field, frames, both sides' values, message, trace and implementation at fault.
/// </summary>
internal static class VerdictWire
{
    private static readonly Dictionary<string, VerdictKind> Kinds =
        Enum.GetValues<VerdictKind>().ToDictionary(k => k == VerdictKind.Pass ? "pass" : Verdict.KindWord(k), StringComparer.Ordinal);

    /// <summary>The verdict as a JSON object.</summary>
    public static JsonObject ToJson(Verdict verdict) => new()
    {
        ["kind"] = verdict.IsPass ? "pass" : Verdict.KindWord(verdict.Kind),
        ["step"] = verdict.Step,
        ["line"] = verdict.Line,
        ["op"] = verdict.Op is { } op ? ScriptPrinter.Format(op) : null,
        ["expectation"] = verdict.Expectation,
        ["field"] = verdict.Field,
        ["gfn"] = verdict.Gfn?.Value,
        ["mfn"] = verdict.Mfn?.Value,
        ["grantFrame"] = verdict.GrantFrame,
        ["leftName"] = verdict.LeftName,
        ["leftValue"] = verdict.LeftValue,
        ["rightName"] = verdict.RightName,
        ["rightValue"] = verdict.RightValue,
        ["message"] = verdict.Message,
        ["path"] = verdict.Path,
        ["trace"] = verdict.Trace,
        ["implementation"] = verdict.Implementation,
    };

    /// <summary>The verdict a <see cref="ToJson"/> object describes.</summary>
    /// <exception cref="FormatException">The object is not a verdict.</exception>
    public static Verdict FromJson(JsonObject json)
    {
        string kind = Text(json, "kind") ?? throw new FormatException("verdict without a kind");
        if (!Kinds.TryGetValue(kind, out VerdictKind parsed)) throw new FormatException($"unknown verdict kind '{kind}'");
        return new Verdict
        {
            Kind = parsed,
            Step = (int?)json["step"] ?? 0,
            Line = (int?)json["line"] ?? 0,
            Op = Text(json, "op") is { } op ? ParseOp(op) : null,
            Expectation = Text(json, "expectation"),
            Field = Text(json, "field") ?? "",
            Gfn = (ulong?)json["gfn"] is { } gfn ? new Gfn(gfn) : null,
            Mfn = (ulong?)json["mfn"] is { } mfn ? new Mfn(mfn) : null,
            GrantFrame = (int?)json["grantFrame"],
            LeftName = Text(json, "leftName") ?? "",
            LeftValue = Text(json, "leftValue") ?? "",
            RightName = Text(json, "rightName") ?? "",
            RightValue = Text(json, "rightValue") ?? "",
            Message = Text(json, "message") ?? "",
            Path = Text(json, "path"),
            Trace = Text(json, "trace"),
            Implementation = Text(json, "implementation"),
        };
    }

    private static string? Text(JsonObject json, string key) => (string?)json[key];

    private static Op ParseOp(string line)
    {
        try
        {
            return ScriptParser.Parse(line, "verdict", Inputs.InputLimits.None).Ops.Single();
        }
        catch (Exception e) when (e is ScriptParseException or InvalidOperationException)
        {
            throw new FormatException($"verdict operation '{line}' does not parse", e);
        }
    }
}
