using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/P2M.Bench -- --filter '*'
// A shared, loaded machine builds the generated benchmark project slowly: allow it 15 minutes, not 2.
BenchmarkSwitcher.FromAssembly(typeof(P2M.Bench.ScanBenchmarks).Assembly)
    .Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)));
