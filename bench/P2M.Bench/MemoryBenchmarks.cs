using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using P2M.Contract;
using P2M.Engine;
using P2M.Oracle;

namespace P2M.Bench;

/// <summary>
/// Memory per mapped frame of a fully 4K-mapped 1 GiB guest in <c>real</c> (262,144 frames, each its own
/// 4K chunk): the time to build it, and, in the added columns, the bytes each implementation keeps per
/// frame once built (measured in the host process, after a full GC) and, for the engine, that against the
/// raw size of its table pages.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class MemoryBenchmarks
{
    /// <summary>Frames of a 1 GiB guest.</summary>
    public const ulong Frames = 1UL << 18;

    [Benchmark(Baseline = true)]
    public IP2M Oracle() => Build(new OracleP2M(P2MConfig.Default(Geometry.Real)));

    [Benchmark]
    public IP2M Engine() => Build(new EngineP2M(P2MConfig.Default(Geometry.Real)));

    /// <summary>Maps every frame of the first GiB with an MFN one frame off alignment, so each is a 4K chunk.</summary>
    public static IP2M Build(IP2M p2m)
    {
        for (ulong gfn = 0; gfn < Frames; gfn += 1 << 16)
            p2m.Apply(Op.Map(new Gfn(gfn), new Mfn(gfn + 1), 1 << 16, P2MType.RamRw));
        return p2m;
    }

    /// <summary>Bytes an implementation keeps once built, per frame, and the engine's table pages' raw size.</summary>
    internal static (double PerFrame, double RawPerFrame) Retained(bool engine)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        IP2M p2m = Build(engine ? new EngineP2M(P2MConfig.Default(Geometry.Real)) : new OracleP2M(P2MConfig.Default(Geometry.Real)));
        long after = GC.GetTotalMemory(forceFullCollection: true);
        double raw = p2m is EngineP2M e ? (double)e.PoolPagesInUse * Geometry.Real.EntriesPerPage * sizeof(ulong) / Frames : double.NaN;
        GC.KeepAlive(p2m);
        return ((after - before) / (double)Frames, raw);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new RetainedColumn("Kept B/frame", r => r.PerFrame.ToString("F2")));
            AddColumn(new RetainedColumn("Kept/raw", r => double.IsNaN(r.RawPerFrame) ? "-" : (r.PerFrame / r.RawPerFrame).ToString("F3")));
        }
    }

    /// <summary>A column measured in the host process, once per implementation.</summary>
    private sealed class RetainedColumn(string name, Func<(double PerFrame, double RawPerFrame), string> format) : IColumn
    {
        private static readonly Dictionary<bool, (double, double)> Measured = new();

        public string Id => nameof(RetainedColumn) + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "measured outside the benchmark run, in the host process";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            bool engine = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(Engine);
            lock (Measured)
            {
                if (!Measured.TryGetValue(engine, out var value)) Measured[engine] = value = Retained(engine);
                return format(value);
            }
        }
    }
}
