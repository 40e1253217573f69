using System.Text;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// A parsed script printed back as text in which every operation and expectation stands on the line it
/// came from, so that a child process parsing the text reports the same line numbers as the file.
/// </summary>
internal static class ScriptText
{
    /// <summary>The text of <paramref name="script"/>, its lines where they were (printed plainly when they have no numbers).</summary>
    public static string Of(Script script)
    {
        int settings = (script.Geometry == Contract.Geometry.Mini ? 0 : 1) + (script.PoolPages is null ? 0 : 1);
        int first = script.Lines.Count == 0 ? 0 : script.Lines.Min(l => l.Line);
        bool numbered = script.Lines.Count > 0 && first > settings && IsAscending(script.Lines);
        if (!numbered) return ScriptPrinter.Print(script with { Header = [] });

        var text = new StringBuilder();
        int line = 0;
        void Put(string content)
        {
            text.Append(content).Append('\n');
            line++;
        }
        if (script.Geometry != Contract.Geometry.Mini) Put($"geometry {script.Geometry.Name}");
        if (script.PoolPages is int pages) Put($"pool pages={pages}");
        foreach (ScriptLine scriptLine in script.Lines)
        {
            while (line < scriptLine.Line - 1) Put("");
            Put(ScriptPrinter.Format(scriptLine));
        }
        return text.ToString();
    }

    private static bool IsAscending(IReadOnlyList<ScriptLine> lines)
    {
        for (int i = 1; i < lines.Count; i++)
            if (lines[i].Line <= lines[i - 1].Line) return false;
        return true;
    }
}
