using System.Globalization;
using System.Text;
using P2M.Fuzz.Campaigns;
using Spectre.Console;

namespace P2M.Fuzz.Cli;

/// <summary>
/// What a campaign shows while it runs, libFuzzer's way: lines that stay (the startup line, each
/// <c>#N NEW ft: corp: exec/s: rss: MS:</c> line, each <c>NEW FINDING</c> and <c>MINIMISED</c> line, warnings)
/// scroll up above one live status line. On a terminal that understands ANSI the status line is redrawn in
/// place: it is always one row (cut to the terminal's width, so it never wraps), the cursor never moves up,
/// and a line that stays first clears it, so tmux and plain terminals keep every line intact and nothing
/// stale is left behind; at the end the status line is cleared and printed once more as a line that stays.
/// Anywhere else (a pipe, a file, CI) everything is a plain line without escape codes, the status every few
/// seconds. Every write goes through one lock, so lines from other threads never cut into each other.
/// </summary>
internal sealed class StatusDisplay : IDisposable
{
    /// <summary>Seconds between two plain status lines when the status cannot be redrawn in place.</summary>
    private const double PlainEverySeconds = 5;

    /// <summary>Erases the row the cursor is on and returns to its start (VT100 <c>EL 2</c>).</summary>
    private const string ClearRow = "\r\u001b[2K";

    private readonly object _lock = new();
    private readonly TextWriter _writer;
    private readonly IAnsiConsole? _live;
    private CampaignStatus? _last;
    private bool _statusShown;
    private DateTime _nextPlain = DateTime.MinValue;

    private StatusDisplay(TextWriter writer, IAnsiConsole? live)
    {
        _writer = writer;
        _live = live;
        Lines = new LineWriter(this);
    }

    /// <summary>
    /// The display for <paramref name="writer"/>: live when <paramref name="terminal"/> says it is the process's
    /// standard error on a terminal that understands ANSI escapes, plain otherwise.
    /// </summary>
    public static StatusDisplay For(TextWriter writer, bool terminal)
    {
        if (!terminal) return new StatusDisplay(writer, null);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        return new StatusDisplay(writer, console.Profile.Capabilities.Ansi ? console : null);
    }

    /// <summary>True when the status line is redrawn in place.</summary>
    public bool IsLive => _live is not null;

    /// <summary>A writer whose every line stays above the status line: give it to whatever else writes while the campaign runs.</summary>
    public TextWriter Lines { get; }

    /// <summary>Runs <paramref name="campaign"/>, showing its status and its new inputs until it ends.</summary>
    public CampaignResult Run(Campaign campaign, CancellationToken token)
    {
        campaign.Status += Show;
        campaign.NewInput += ShowNew;
        CampaignResult result = campaign.Run(token);
        // The last line that stays is the campaign's final status, not the last one sampled.
        lock (_lock) _last = result.Final;
        return result;
    }

    /// <summary>A new status: redrawn in place, or, plain, printed when the last one is old enough.</summary>
    public void Show(CampaignStatus status)
    {
        lock (_lock)
        {
            _last = status;
            if (_live is not null)
            {
                DrawStatus();
                return;
            }
            if (DateTime.UtcNow < _nextPlain) return;
            _nextPlain = DateTime.UtcNow.AddSeconds(PlainEverySeconds);
            _writer.WriteLine(status.ToString());
        }
    }

    /// <summary>libFuzzer's <c>#N NEW</c> line for an input that joined the corpus.</summary>
    public void ShowNew(NewCoverage added)
    {
        CampaignStatus? last = _last;
        Persist(string.Create(CultureInfo.InvariantCulture,
            $"#{added.Exec} NEW ft: {added.Features} corp: {added.CorpusSize} exec/s: {last?.ExecsPerSecond ?? 0:0} rss: {last?.RssMb ?? 0}Mb {added.Mutation}"));
    }

    /// <summary>A line that stays: printed above the status line, which is drawn again under it.</summary>
    public void Persist(string line)
    {
        lock (_lock)
        {
            if (_live is null)
            {
                _writer.WriteLine(line);
                return;
            }
            if (_statusShown) _writer.Write(ClearRow);
            _writer.WriteLine(line);
            _statusShown = false;
            DrawStatus();
        }
    }

    /// <summary>Clears the live status line and prints the last status as a line that stays.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_live is not null && _statusShown) _writer.Write(ClearRow);
            _statusShown = false;
            if (_last is not null) _writer.WriteLine(_last.ToString());
            _writer.Flush();
            _last = null;
        }
    }

    private void DrawStatus()
    {
        if (_last is null || _live is null) return;
        _writer.Write(ClearRow);
        // One row less than the width: a row filled to the last column wraps on some terminals.
        _live.Write(new Markup(Fit(Segments(_last), Math.Max(_live.Profile.Width - 1, 20))));
        _writer.Flush();
        _statusShown = true;
    }

    /// <summary>The status line's parts, each with its Spectre style.</summary>
    private static IEnumerable<(string Text, string Style)> Segments(CampaignStatus s)
    {
        string Whole(double value) => value.ToString("0", CultureInfo.InvariantCulture);
        yield return ($"#{s.Execs}", "bold");
        yield return ($" {Whole(s.Seconds)}s", "");
        yield return (" exec/s ", "grey");
        yield return (Whole(s.ExecsPerSecond), "green");
        yield return (" steps/s ", "grey");
        yield return (Whole(s.StepsPerSecond), "");
        yield return (" ft ", "grey");
        yield return (s.Features.ToString(CultureInfo.InvariantCulture), "blue");
        yield return (" corp ", "grey");
        yield return (s.CorpusSize.ToString(CultureInfo.InvariantCulture), "");
        yield return (" findings ", "grey");
        yield return (s.Findings.ToString(CultureInfo.InvariantCulture), s.Findings > 0 ? "bold red" : "green");
        yield return (" rss ", "grey");
        yield return ($"{s.RssMb}Mb", "");
        if (s.Workers > 0)
        {
            yield return (" workers ", "grey");
            yield return ($"{s.WorkersAlive}/{s.Workers}", s.WorkersAlive < s.Workers && (s.RunsLeft ?? 1) > 0 ? "yellow" : "");
        }
        string left = s.Left();
        if (left.Length > 0) yield return ($" {left}", "");
        yield return ($" last new {Whole(s.SecondsSinceNewFeature)}s", "grey");
    }

    /// <summary>The parts as Spectre markup, cut to <paramref name="width"/> visible characters.</summary>
    private static string Fit(IEnumerable<(string Text, string Style)> segments, int width)
    {
        var markup = new StringBuilder();
        int used = 0;
        foreach ((string text, string style) in segments)
        {
            string part = text.Length <= width - used ? text : text[..(width - used)];
            if (part.Length == 0) break;
            string escaped = Markup.Escape(part);
            markup.Append(style.Length == 0 ? escaped : $"[{style}]{escaped}[/]");
            used += part.Length;
        }
        return markup.ToString();
    }

    /// <summary>Collects written text into lines, each handed to <see cref="Persist"/> when it ends.</summary>
    private sealed class LineWriter(StatusDisplay display) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    string line = _line.ToString().TrimEnd('\r');
                    _line.Clear();
                    display.Persist(line);
                }
                else
                {
                    _line.Append(value);
                }
            }
        }

        public override void Write(string? value)
        {
            foreach (char c in value ?? "") Write(c);
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }
    }
}
