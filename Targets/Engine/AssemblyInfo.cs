using System.Runtime.CompilerServices;

// Unit tests and benchmarks reach PTE packing, chunking and the vectorised scans directly.
[assembly: InternalsVisibleTo("Engine.Tests")]
[assembly: InternalsVisibleTo("P2M.Bench")]
// Planted-bug doubles in the harness tests override the engine's private protected hooks.
[assembly: InternalsVisibleTo("Harness.Tests")]
[assembly: InternalsVisibleTo("P2M.Planted")]
