namespace P2M.Fuzz.Supervision;

/// <summary>
/// The limits a supervisor holds its child processes to, in libFuzzer's terms: an input that runs longer
/// than <see cref="TimeoutSeconds"/> is a <c>timeout</c> finding, a child whose resident memory passes
/// <see cref="RssLimitMb"/> is an <c>oom</c> finding, a child that dies is a <c>crash</c> finding.
/// </summary>
public sealed record SupervisionOptions
{
    /// <summary>Default <see cref="TimeoutSeconds"/>: far above any input's normal cost, small enough to find hangs quickly.</summary>
    public const double DefaultTimeoutSeconds = 5;

    /// <summary>Longest <see cref="TimeoutSeconds"/>: an hour; an input that needs longer is a hang by any measure.</summary>
    public const double MaxTimeoutSeconds = 3600;

    /// <summary>Default <see cref="RssLimitMb"/>: libFuzzer's <c>-rss_limit_mb</c> default.</summary>
    public const int DefaultRssLimitMb = 2048;

    /// <summary>Least <see cref="RssLimitMb"/>: below it a worker cannot even start the runtime.</summary>
    public const int MinRssLimitMb = 64;

    /// <summary>Most <see cref="RssLimitMb"/>: 1 TiB, far above any machine this runs on, and the default fits under it.</summary>
    public const int MaxRssLimitMb = 1 << 20;

    /// <summary>How long a child may take to start and build the implementation before it counts as dead.</summary>
    public static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);

    /// <summary>Most seconds one input may run (<c>--timeout</c>).</summary>
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>Most resident memory of a child, in MiB (<c>--rss-limit-mb</c>).</summary>
    public int RssLimitMb { get; init; } = DefaultRssLimitMb;

    /// <summary>How to start a child; found next to the harness when null.</summary>
    public ChildCommand? Child { get; init; }

    /// <summary>The defaults.</summary>
    public static SupervisionOptions Default { get; } = new();

    /// <summary>The child command to use: <see cref="Child"/>, or this program.</summary>
    public ChildCommand ResolveChild() => Child ?? ChildCommand.Locate();
}
