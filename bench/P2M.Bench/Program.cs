using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/P2M.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(P2M.Bench.ScanBenchmarks).Assembly).Run(args);
